/*
 * conmode.c: prints the console modes of standard input and output and the
 * output code page, for the Windows tests under Wine (did the TUI leave the
 * console as it found it?). Usage: conmode.exe TAG
 */
#include <windows.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	DWORD in = 0, out = 0;
	GetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), &in);
	GetConsoleMode(GetStdHandle(STD_OUTPUT_HANDLE), &out);
	printf("CONSOLE %s in=0x%lx out=0x%lx cp=%u\n", argc > 1 ? argv[1] : "", (unsigned long)in, (unsigned long)out,
	       GetConsoleOutputCP());
	return 0;
}
