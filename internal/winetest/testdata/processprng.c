/*
 * processprng.c: a stand-in for bcryptprimitives.dll, for the tests under
 * Wine only (never shipped).
 *
 * Since Go 1.22 the Windows runtime takes its random numbers from
 * bcryptprimitives.dll!ProcessPrng (golang/go #33542) and refuses to start
 * without it ("fatal error: bcryptprimitives.dll not found"). Debian 12's
 * Wine 8 has no such DLL, so a Go program cannot start there at all. This
 * DLL exports ProcessPrng over RtlGenRandom (advapi32!SystemFunction036),
 * which Wine has. The Go runtime loads system DLLs from System32 only
 * (LOAD_LIBRARY_SEARCH_SYSTEM32), not from beside the executable, so
 * package winetest copies it into the private prefix's
 * drive_c/windows/system32.
 *
 * Build: x86_64-w64-mingw32-gcc -O2 -shared -o bcryptprimitives.dll processprng.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		length -= n;
	}
	return TRUE;
}
