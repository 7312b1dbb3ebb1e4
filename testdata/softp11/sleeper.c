/*
 * sleeper.c: a program that sleeps for ever, started by softp11's
 * fault.spawn as "the helper process a driver starts", so that a test can
 * see whether it outlives the probe. Its argument is a marker the test
 * looks for among the running processes. Built with gcc and with mingw.
 */
#ifdef _WIN32
#include <windows.h>
#else
#include <unistd.h>
#endif

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (;;) {
#ifdef _WIN32
		Sleep(INFINITE);
#else
		pause();
#endif
	}
}
