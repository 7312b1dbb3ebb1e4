/*
 * arch32.c: a 32-bit PKCS#11 module stand-in for the tests: a real 32-bit
 * image (PE32 i386 DLL, ELF32 i386 shared object) exporting
 * C_GetFunctionList, which a 64-bit sportello must name as a 32-bit driver
 * without loading it. Built freestanding (no 32-bit C library is
 * installed) by package softp11: gcc -m32 -ffreestanding, then ld for
 * elf_i386 or i386pe.
 */
typedef unsigned long CK_RV;

#ifdef _WIN32
__declspec(dllexport) CK_RV C_GetFunctionList(void **list)
#else
__attribute__((visibility("default"))) CK_RV C_GetFunctionList(void **list)
#endif
{
	*list = 0;
	return 5; /* CKR_GENERAL_ERROR: it is never meant to be called */
}

#ifdef _WIN32
int __attribute__((stdcall)) DllMainCRTStartup(void *module, unsigned reason, void *reserved)
{
	(void)module;
	(void)reason;
	(void)reserved;
	return 1;
}
#endif
