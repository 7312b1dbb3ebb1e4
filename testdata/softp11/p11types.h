/*
 * p11types.h: the part of the PKCS#11 v2.40 interface that softp11.c
 * serves, written for this project from the OASIS specification (PKCS#11
 * Cryptographic Token Interface Base Specification v2.40, sections 3 and
 * 5, and its "platform specific" rules), not copied from a vendor header.
 *
 * Packing, which is the point of having our own header: the specification
 * says that on Windows every structure is packed to 1 byte
 * (#pragma pack(push, 1)) and CK_ULONG is "unsigned long", 32 bits there
 * (LLP64); on Linux x86-64 the structures keep the compiler's natural
 * alignment and CK_ULONG is 64 bits. A module and an application that
 * disagree read each other's fields at the wrong offsets. The static
 * assertions below pin the sizes each platform must have, so a build of
 * this module with the wrong packing does not compile, and a host
 * (sportello.exe through miekg/pkcs11) with the wrong packing reads
 * garbage labels and flags, which the tests compare exactly.
 */
#ifndef SOFTP11_P11TYPES_H
#define SOFTP11_P11TYPES_H

#include <stddef.h>

#ifdef _WIN32
#define SP_EXPORT __declspec(dllexport)
#pragma pack(push, 1)
#else
#define SP_EXPORT __attribute__((visibility("default")))
#endif

typedef unsigned char CK_BYTE;
typedef CK_BYTE CK_CHAR;
typedef CK_BYTE CK_UTF8CHAR;
typedef CK_BYTE CK_BBOOL;
typedef unsigned long CK_ULONG;
typedef long CK_LONG;
typedef CK_ULONG CK_FLAGS;
typedef CK_ULONG CK_RV;
typedef CK_ULONG CK_SLOT_ID;
typedef CK_ULONG CK_SESSION_HANDLE;
typedef CK_ULONG CK_OBJECT_HANDLE;
typedef CK_ULONG CK_OBJECT_CLASS;
typedef CK_ULONG CK_ATTRIBUTE_TYPE;
typedef CK_ULONG CK_USER_TYPE;
typedef CK_ULONG CK_STATE;
typedef CK_ULONG CK_MECHANISM_TYPE;
typedef CK_ULONG CK_NOTIFICATION;
typedef CK_ULONG CK_CERTIFICATE_TYPE;
typedef void *CK_VOID_PTR;

typedef struct CK_VERSION {
	CK_BYTE major;
	CK_BYTE minor;
} CK_VERSION;

typedef struct CK_INFO {
	CK_VERSION cryptokiVersion;
	CK_UTF8CHAR manufacturerID[32];
	CK_FLAGS flags;
	CK_UTF8CHAR libraryDescription[32];
	CK_VERSION libraryVersion;
} CK_INFO;

typedef struct CK_SLOT_INFO {
	CK_UTF8CHAR slotDescription[64];
	CK_UTF8CHAR manufacturerID[32];
	CK_FLAGS flags;
	CK_VERSION hardwareVersion;
	CK_VERSION firmwareVersion;
} CK_SLOT_INFO;

typedef struct CK_TOKEN_INFO {
	CK_UTF8CHAR label[32];
	CK_UTF8CHAR manufacturerID[32];
	CK_UTF8CHAR model[16];
	CK_CHAR serialNumber[16];
	CK_FLAGS flags;
	CK_ULONG ulMaxSessionCount;
	CK_ULONG ulSessionCount;
	CK_ULONG ulMaxRwSessionCount;
	CK_ULONG ulRwSessionCount;
	CK_ULONG ulMaxPinLen;
	CK_ULONG ulMinPinLen;
	CK_ULONG ulTotalPublicMemory;
	CK_ULONG ulFreePublicMemory;
	CK_ULONG ulTotalPrivateMemory;
	CK_ULONG ulFreePrivateMemory;
	CK_VERSION hardwareVersion;
	CK_VERSION firmwareVersion;
	CK_CHAR utcTime[16];
} CK_TOKEN_INFO;

typedef struct CK_SESSION_INFO {
	CK_SLOT_ID slotID;
	CK_STATE state;
	CK_FLAGS flags;
	CK_ULONG ulDeviceError;
} CK_SESSION_INFO;

typedef struct CK_ATTRIBUTE {
	CK_ATTRIBUTE_TYPE type;
	CK_VOID_PTR pValue;
	CK_ULONG ulValueLen;
} CK_ATTRIBUTE;

typedef struct CK_MECHANISM {
	CK_MECHANISM_TYPE mechanism;
	CK_VOID_PTR pParameter;
	CK_ULONG ulParameterLen;
} CK_MECHANISM;

typedef struct CK_MECHANISM_INFO {
	CK_ULONG ulMinKeySize;
	CK_ULONG ulMaxKeySize;
	CK_FLAGS flags;
} CK_MECHANISM_INFO;

typedef CK_RV (*CK_CREATEMUTEX)(CK_VOID_PTR *ppMutex);
typedef CK_RV (*CK_DESTROYMUTEX)(CK_VOID_PTR pMutex);
typedef CK_RV (*CK_LOCKMUTEX)(CK_VOID_PTR pMutex);
typedef CK_RV (*CK_UNLOCKMUTEX)(CK_VOID_PTR pMutex);

typedef struct CK_C_INITIALIZE_ARGS {
	CK_CREATEMUTEX CreateMutex;
	CK_DESTROYMUTEX DestroyMutex;
	CK_LOCKMUTEX LockMutex;
	CK_UNLOCKMUTEX UnlockMutex;
	CK_FLAGS flags;
	CK_VOID_PTR pReserved;
} CK_C_INITIALIZE_ARGS;

typedef struct CK_FUNCTION_LIST CK_FUNCTION_LIST;
typedef CK_FUNCTION_LIST *CK_FUNCTION_LIST_PTR;

/* A function pointer of the list. The slots the probe calls are typed
 * (softp11.c fills them with the real functions); the others hold stubs
 * of type CK_ANY_FN returning CKR_FUNCTION_NOT_SUPPORTED. */
typedef CK_RV (*CK_ANY_FN)(void);

/* The 68 functions of v2.40, in the specification's order: the order is
 * the ABI. */
struct CK_FUNCTION_LIST {
	CK_VERSION version;
	CK_RV (*C_Initialize)(CK_VOID_PTR pInitArgs);
	CK_RV (*C_Finalize)(CK_VOID_PTR pReserved);
	CK_RV (*C_GetInfo)(CK_INFO *pInfo);
	CK_RV (*C_GetFunctionList)(CK_FUNCTION_LIST_PTR *ppFunctionList);
	CK_RV (*C_GetSlotList)(CK_BBOOL tokenPresent, CK_SLOT_ID *pSlotList, CK_ULONG *pulCount);
	CK_RV (*C_GetSlotInfo)(CK_SLOT_ID slotID, CK_SLOT_INFO *pInfo);
	CK_RV (*C_GetTokenInfo)(CK_SLOT_ID slotID, CK_TOKEN_INFO *pInfo);
	CK_ANY_FN C_GetMechanismList;
	CK_ANY_FN C_GetMechanismInfo;
	CK_ANY_FN C_InitToken;
	CK_ANY_FN C_InitPIN;
	CK_ANY_FN C_SetPIN;
	CK_RV (*C_OpenSession)(CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR pApplication, CK_VOID_PTR Notify, CK_SESSION_HANDLE *phSession);
	CK_RV (*C_CloseSession)(CK_SESSION_HANDLE hSession);
	CK_RV (*C_CloseAllSessions)(CK_SLOT_ID slotID);
	CK_RV (*C_GetSessionInfo)(CK_SESSION_HANDLE hSession, CK_SESSION_INFO *pInfo);
	CK_ANY_FN C_GetOperationState;
	CK_ANY_FN C_SetOperationState;
	CK_ANY_FN C_Login;
	CK_ANY_FN C_Logout;
	CK_ANY_FN C_CreateObject;
	CK_ANY_FN C_CopyObject;
	CK_ANY_FN C_DestroyObject;
	CK_ANY_FN C_GetObjectSize;
	CK_RV (*C_GetAttributeValue)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount);
	CK_ANY_FN C_SetAttributeValue;
	CK_RV (*C_FindObjectsInit)(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount);
	CK_RV (*C_FindObjects)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE *phObject, CK_ULONG ulMaxObjectCount, CK_ULONG *pulObjectCount);
	CK_RV (*C_FindObjectsFinal)(CK_SESSION_HANDLE hSession);
	CK_ANY_FN C_EncryptInit;
	CK_ANY_FN C_Encrypt;
	CK_ANY_FN C_EncryptUpdate;
	CK_ANY_FN C_EncryptFinal;
	CK_ANY_FN C_DecryptInit;
	CK_ANY_FN C_Decrypt;
	CK_ANY_FN C_DecryptUpdate;
	CK_ANY_FN C_DecryptFinal;
	CK_ANY_FN C_DigestInit;
	CK_ANY_FN C_Digest;
	CK_ANY_FN C_DigestUpdate;
	CK_ANY_FN C_DigestKey;
	CK_ANY_FN C_DigestFinal;
	CK_ANY_FN C_SignInit;
	CK_ANY_FN C_Sign;
	CK_ANY_FN C_SignUpdate;
	CK_ANY_FN C_SignFinal;
	CK_ANY_FN C_SignRecoverInit;
	CK_ANY_FN C_SignRecover;
	CK_ANY_FN C_VerifyInit;
	CK_ANY_FN C_Verify;
	CK_ANY_FN C_VerifyUpdate;
	CK_ANY_FN C_VerifyFinal;
	CK_ANY_FN C_VerifyRecoverInit;
	CK_ANY_FN C_VerifyRecover;
	CK_ANY_FN C_DigestEncryptUpdate;
	CK_ANY_FN C_DecryptDigestUpdate;
	CK_ANY_FN C_SignEncryptUpdate;
	CK_ANY_FN C_DecryptVerifyUpdate;
	CK_ANY_FN C_GenerateKey;
	CK_ANY_FN C_GenerateKeyPair;
	CK_ANY_FN C_WrapKey;
	CK_ANY_FN C_UnwrapKey;
	CK_ANY_FN C_DeriveKey;
	CK_ANY_FN C_SeedRandom;
	CK_ANY_FN C_GenerateRandom;
	CK_ANY_FN C_GetFunctionStatus;
	CK_ANY_FN C_CancelFunction;
	CK_ANY_FN C_WaitForSlotEvent;
};

#ifdef _WIN32
#pragma pack(pop)
#endif

/* The sizes each platform's ABI has (1-byte packing and 32-bit CK_ULONG on
 * Windows x64; natural alignment and 64-bit CK_ULONG on Linux x86-64). */
#if defined(_WIN64)
_Static_assert(sizeof(CK_ULONG) == 4, "CK_ULONG is 32 bits on Windows");
_Static_assert(sizeof(CK_TOKEN_INFO) == 160, "CK_TOKEN_INFO must be 160 bytes on Windows x64 (1-byte packing)");
_Static_assert(sizeof(CK_SLOT_INFO) == 104, "CK_SLOT_INFO must be 104 bytes on Windows x64");
_Static_assert(sizeof(CK_INFO) == 72, "CK_INFO must be 72 bytes on Windows x64");
_Static_assert(sizeof(CK_ATTRIBUTE) == 16, "CK_ATTRIBUTE must be 16 bytes on Windows x64");
_Static_assert(offsetof(CK_FUNCTION_LIST, C_Initialize) == 2, "the function list is packed on Windows: pointers start at offset 2");
#elif defined(__x86_64__) && defined(__linux__)
_Static_assert(sizeof(CK_ULONG) == 8, "CK_ULONG is 64 bits on Linux x86-64");
_Static_assert(sizeof(CK_TOKEN_INFO) == 208, "CK_TOKEN_INFO must be 208 bytes on Linux x86-64");
_Static_assert(sizeof(CK_SLOT_INFO) == 112, "CK_SLOT_INFO must be 112 bytes on Linux x86-64");
_Static_assert(sizeof(CK_INFO) == 88, "CK_INFO must be 88 bytes on Linux x86-64");
_Static_assert(sizeof(CK_ATTRIBUTE) == 24, "CK_ATTRIBUTE must be 24 bytes on Linux x86-64");
_Static_assert(offsetof(CK_FUNCTION_LIST, C_Initialize) == 8, "the function list is naturally aligned on Linux");
#endif

/* Return values. */
#define CKR_OK 0x00UL
#define CKR_HOST_MEMORY 0x02UL
#define CKR_SLOT_ID_INVALID 0x03UL
#define CKR_GENERAL_ERROR 0x05UL
#define CKR_FUNCTION_FAILED 0x06UL
#define CKR_ARGUMENTS_BAD 0x07UL
#define CKR_ATTRIBUTE_TYPE_INVALID 0x12UL
#define CKR_DEVICE_ERROR 0x30UL
#define CKR_FUNCTION_NOT_SUPPORTED 0x54UL
#define CKR_OBJECT_HANDLE_INVALID 0x82UL
#define CKR_OPERATION_ACTIVE 0x90UL
#define CKR_OPERATION_NOT_INITIALIZED 0x91UL
#define CKR_SESSION_COUNT 0xB1UL
#define CKR_SESSION_HANDLE_INVALID 0xB3UL
#define CKR_SESSION_PARALLEL_NOT_SUPPORTED 0xB4UL
#define CKR_TOKEN_NOT_PRESENT 0xE0UL
#define CKR_BUFFER_TOO_SMALL 0x150UL
#define CKR_CRYPTOKI_NOT_INITIALIZED 0x190UL
#define CKR_CRYPTOKI_ALREADY_INITIALIZED 0x191UL

/* Flags. */
#define CKF_TOKEN_PRESENT 0x1UL
#define CKF_RW_SESSION 0x2UL
#define CKF_SERIAL_SESSION 0x4UL

/* Objects and attributes. */
#define CKO_CERTIFICATE 0x1UL
#define CKC_X_509 0x0UL
#define CKA_CLASS 0x0UL
#define CKA_TOKEN 0x1UL
#define CKA_PRIVATE 0x2UL
#define CKA_LABEL 0x3UL
#define CKA_VALUE 0x11UL
#define CKA_CERTIFICATE_TYPE 0x80UL
#define CKA_ID 0x102UL
#define CK_UNAVAILABLE_INFORMATION (~0UL)

#define CKS_RO_PUBLIC_SESSION 0UL

#endif
