/*
 * missingdep.c: a DLL that imports a function from a DLL that does not
 * exist (sportello_assente.dll, an import library made by the test with
 * dlltool), so that LoadLibrary fails with ERROR_MOD_NOT_FOUND: a driver
 * installed without one of its dependencies.
 */
__declspec(dllimport) int sportello_assente(void);

__declspec(dllexport) unsigned long C_GetFunctionList(void **list)
{
	*list = 0;
	return (unsigned long)sportello_assente();
}
