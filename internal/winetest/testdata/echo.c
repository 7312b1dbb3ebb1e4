/*
 * echo.c: a Windows console program for the tests of package winetest.
 *   echo.exe out TEXT     prints TEXT on stdout
 *   echo.exe err TEXT     prints TEXT on stderr
 *   echo.exe env NAME     prints the variable NAME
 *   echo.exe stdin        copies stdin to stdout
 *   echo.exe exit N       exits with N
 *   echo.exe hang         sleeps for ever
 *   echo.exe spawn        starts "echo.exe hang" and sleeps for ever
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "out") == 0) {
		printf("%s\n", argv[2]);
	} else if (argc >= 3 && strcmp(argv[1], "err") == 0) {
		fprintf(stderr, "%s\n", argv[2]);
	} else if (argc >= 3 && strcmp(argv[1], "env") == 0) {
		const char *v = getenv(argv[2]);
		printf("%s\n", v ? v : "(unset)");
	} else if (argc >= 2 && strcmp(argv[1], "stdin") == 0) {
		int c;
		while ((c = getchar()) != EOF)
			putchar(c);
	} else if (argc >= 3 && strcmp(argv[1], "exit") == 0) {
		return atoi(argv[2]);
	} else if (argc >= 2 && strcmp(argv[1], "hang") == 0) {
		Sleep(INFINITE);
	} else if (argc >= 2 && strcmp(argv[1], "spawn") == 0) {
		char cmd[MAX_PATH + 16];
		STARTUPINFOA si = {sizeof si};
		PROCESS_INFORMATION pi;
		char self[MAX_PATH];
		GetModuleFileNameA(NULL, self, sizeof self);
		snprintf(cmd, sizeof cmd, "\"%s\" hang", self);
		if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
			return 3;
		printf("%lu\n", (unsigned long)pi.dwProcessId);
		fflush(stdout);
		Sleep(INFINITE);
	} else {
		fprintf(stderr, "usage: echo.exe out|err|env|stdin|exit|hang|spawn ...\n");
		return 2;
	}
	return 0;
}
