/*
 * sddl.c: prints the current user's SID and the DACL of each file named,
 * in SDDL, for the Windows tests under Wine (is a saved summary readable
 * by the user alone?). Usage: sddl.exe PATH...
 * With "protect PATH" it first gives PATH a protected DACL granting the
 * user alone (what sportello does), so that a test can tell whether this
 * Wine keeps DACLs at all.
 */
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>
#include <string.h>

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
	int first = 1;
	if (argc > 2 && strcmp(argv[1], "protect") == 0) {
		EXPLICIT_ACCESSA ea;
		PACL acl = NULL;
		memset(&ea, 0, sizeof ea);
		ea.grfAccessPermissions = GENERIC_ALL;
		ea.grfAccessMode = GRANT_ACCESS;
		ea.grfInheritance = NO_INHERITANCE;
		ea.Trustee.TrusteeForm = TRUSTEE_IS_SID;
		ea.Trustee.TrusteeType = TRUSTEE_IS_USER;
		ea.Trustee.ptstrName = (LPSTR)((TOKEN_USER *)buf)->User.Sid;
		DWORD rc = SetEntriesInAclA(1, &ea, NULL, &acl);
		if (rc == ERROR_SUCCESS)
			rc = SetNamedSecurityInfoA(argv[2], SE_FILE_OBJECT,
						   DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, NULL,
						   NULL, acl, NULL);
		printf("PROTECT %lu\n", (unsigned long)rc);
		first = 2;
	}
	for (int i = first; i < argc; i++) {
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
