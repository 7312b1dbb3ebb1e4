package probe

import "fmt"

// windowsLoadError says in Italian why LoadLibrary refused a driver, from
// its Win32 error code (winerror.h); the system's own text would be in the
// system's language, or in English under Wine.
func windowsLoadError(code uint32) string {
	switch code {
	case 2, 3: // ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND
		return "file del driver non trovato"
	case 5: // ERROR_ACCESS_DENIED
		return "accesso negato al file del driver"
	case 8, 14, 1455: // ERROR_NOT_ENOUGH_MEMORY, ERROR_OUTOFMEMORY, ERROR_COMMITMENT_LIMIT
		return "memoria insufficiente per caricare il driver"
	case 126: // ERROR_MOD_NOT_FOUND
		return "manca una DLL da cui il driver dipende (installazione incompleta?)"
	case 127: // ERROR_PROC_NOT_FOUND
		return "una DLL da cui il driver dipende non ha una funzione richiesta (versioni non compatibili)"
	case 193: // ERROR_BAD_EXE_FORMAT
		return "non è una DLL valida per Windows a 64 bit (32 bit, o file danneggiato)"
	case 577: // ERROR_INVALID_IMAGE_HASH
		return "Windows ha bloccato il driver: la sua firma digitale non è valida"
	case 1114: // ERROR_DLL_INIT_FAILED
		return "l'inizializzazione del driver (DllMain) non è riuscita"
	case 1260: // ERROR_ACCESS_DISABLED_BY_POLICY
		return "un criterio di gruppo impedisce di usare il driver"
	case 4551: // ERROR_SYSTEM_INTEGRITY_POLICY_VIOLATION
		return "i criteri di sicurezza del sistema (Controllo applicazioni) impediscono di caricare il driver"
	case 14001: // ERROR_SXS_CANT_GEN_ACTCTX
		return "mancano le librerie di runtime (Visual C++) richieste dal driver"
	}
	return fmt.Sprintf("errore di Windows %d", code)
}
