/*
 * sddl.c: prints the current user's SID and the DACL of each file named,
 * in SDDL, for the Windows tests under Wine (is a saved summary readable
 * by the user alone?). Usage: sddl.exe PATH...
 */
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	HANDLE tok;
	char buf[256];
	DWORD n;
	LPSTR s;
	if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok) &&
	    GetTokenInformation(tok, TokenUser, buf, sizeof buf, &n) &&
	    ConvertSidToStringSidA(((TOKEN_USER *)buf)->User.Sid, &s)) {
		printf("USER %s\n", s);
		LocalFree(s);
	}
	for (int i = 1; i < argc; i++) {
		PSECURITY_DESCRIPTOR sd = NULL;
		PACL dacl = NULL;
		DWORD rc = GetNamedSecurityInfoA(argv[i], SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, &dacl,
						 NULL, &sd);
		if (rc != ERROR_SUCCESS) {
			printf("ERROR %lu %s\n", (unsigned long)rc, argv[i]);
			continue;
		}
		if (ConvertSecurityDescriptorToStringSecurityDescriptorA(sd, SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &s,
									 NULL)) {
			printf("DACL %s %s\n", s, argv[i]);
			LocalFree(s);
		}
		LocalFree(sd);
	}
	return 0;
}
