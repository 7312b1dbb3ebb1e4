package station

import (
	"errors"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// queryService reads a service's state and start type as a normal user:
// OpenSCManager with SC_MANAGER_CONNECT and OpenService with
// SERVICE_QUERY_STATUS (and SERVICE_QUERY_CONFIG, which interactive users
// also hold by the default service security descriptor). x/sys's
// svc/mgr.Connect is not used: it asks for SC_MANAGER_ALL_ACCESS, which
// only administrators have (golang/go#48777).
func queryService(name string) *Service {
	// One query at a time (the smart-card and the time service are read
	// concurrently): Wine's service manager, under load, sometimes fails
	// OpenService with ERROR_INVALID_HANDLE or the RPC call itself, which
	// a new attempt cures. On Windows neither costs anything measurable.
	serviceMu.Lock()
	defer serviceMu.Unlock()
	s := &Service{Name: name, State: "unknown"}
	var m, h windows.Handle
	var err error
	for try := 0; try < 6; try++ {
		if try > 0 {
			time.Sleep(100 * time.Millisecond)
		}
		m, h, err = openService(name)
		if err == nil || !rpcTransient(err) {
			break
		}
	}
	switch {
	case errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST):
		s.State = "not_installed"
		return s
	case err != nil:
		s.Error = winErr(callOf(err), err)
		return s
	}
	defer windows.CloseServiceHandle(m)
	defer windows.CloseServiceHandle(h)
	var st windows.SERVICE_STATUS
	if err := windows.QueryServiceStatus(h, &st); err != nil {
		s.Error = winErr("QueryServiceStatus", err)
	} else {
		s.State = serviceStates[st.CurrentState]
		if s.State == "" {
			s.State = "unknown"
		}
	}
	var need uint32
	_ = windows.QueryServiceConfig(h, nil, 0, &need)
	if need > 0 && need < 64<<10 {
		buf := make([]byte, need)
		cfg := (*windows.QUERY_SERVICE_CONFIG)(unsafe.Pointer(&buf[0]))
		if windows.QueryServiceConfig(h, cfg, need, &need) == nil {
			s.StartType = startTypes[cfg.StartType]
		}
	}
	return s
}

var serviceStates = map[uint32]string{
	windows.SERVICE_STOPPED:          "stopped",
	windows.SERVICE_START_PENDING:    "start_pending",
	windows.SERVICE_STOP_PENDING:     "stop_pending",
	windows.SERVICE_RUNNING:          "running",
	windows.SERVICE_CONTINUE_PENDING: "continue_pending",
	windows.SERVICE_PAUSE_PENDING:    "pause_pending",
	windows.SERVICE_PAUSED:           "paused",
}

var startTypes = map[uint32]string{
	windows.SERVICE_BOOT_START:   "boot",
	windows.SERVICE_SYSTEM_START: "system",
	windows.SERVICE_AUTO_START:   "auto",
	windows.SERVICE_DEMAND_START: "manual",
	windows.SERVICE_DISABLED:     "disabled",
}

var serviceMu sync.Mutex

// callError names the call that failed.
type callError struct {
	call string
	err  error
}

func (e *callError) Error() string { return e.call + ": " + e.err.Error() }
func (e *callError) Unwrap() error { return e.err }

func callOf(err error) string {
	var ce *callError
	if errors.As(err, &ce) {
		return ce.call
	}
	return "OpenService"
}

// openService opens the service manager and the service for reading.
func openService(name string) (m, h windows.Handle, err error) {
	m, err = windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	if err != nil {
		return 0, 0, &callError{"OpenSCManager", err}
	}
	n, _ := windows.UTF16PtrFromString(name)
	h, err = windows.OpenService(m, n, windows.SERVICE_QUERY_STATUS|windows.SERVICE_QUERY_CONFIG)
	if errors.Is(err, windows.ERROR_ACCESS_DENIED) {
		h, err = windows.OpenService(m, n, windows.SERVICE_QUERY_STATUS)
	}
	if err != nil {
		windows.CloseServiceHandle(m)
		return 0, 0, &callError{"OpenService", err}
	}
	return m, h, nil
}

// rpcTransient: errors of a service manager not yet answering, or
// answering with a handle it lost (RPC_S_SERVER_UNAVAILABLE,
// RPC_S_CALL_FAILED, RPC_S_CALL_FAILED_DNE, ERROR_INVALID_HANDLE).
func rpcTransient(err error) bool {
	var errno syscall.Errno
	return errors.As(err, &errno) && (errno == 1722 || errno == 1726 || errno == 1727 || errno == 6)
}

// smartCardService is the "Smart Card" service, SCardSvr.
func smartCardService() *Service { return queryService("SCardSvr") }
