package diag

import (
	"os/exec"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// isolate makes the child start suspended: startIsolated puts it in a
// job object before it runs a single instruction, so that nothing it
// starts can escape the job.
func isolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_SUSPENDED}
}

// startIsolated starts the probe child in a job object of its own with
// JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE. Cancelling cmd (timeout,
// cancellation, and the parent's clean-up after Wait) terminates the whole
// job: the child and everything the module started. The job handle is
// held by this process only and closed as soon as the child ends, killing
// whatever it left; and when sportello itself ends, however it ends,
// Windows closes the handles of the dead process and the job goes with
// them. A child that cannot be put in a job (a Windows older than 8 inside
// a job that forbids nesting) still runs, killed alone, as exec does by
// default.
func startIsolated(cmd *exec.Cmd) error {
	job, err := killOnCloseJob()
	if err != nil {
		cmd.SysProcAttr.CreationFlags &^= windows.CREATE_SUSPENDED
		return cmd.Start()
	}
	var mu sync.Mutex
	closed := false
	closeJob := func() {
		mu.Lock()
		defer mu.Unlock()
		if !closed {
			closed = true
			windows.CloseHandle(job)
		}
	}
	cmd.Cancel = func() error {
		mu.Lock()
		terminated := !closed && windows.TerminateJobObject(job, 1) == nil
		mu.Unlock()
		if terminated {
			return nil
		}
		return cmd.Process.Kill() // not in the job after all, or already gone
	}
	if err := cmd.Start(); err != nil {
		closeJob()
		return err
	}
	pid := uint32(cmd.Process.Pid)
	h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE|windows.SYNCHRONIZE, false, pid)
	if err == nil {
		_ = windows.AssignProcessToJobObject(job, h)
		go func() {
			_, _ = windows.WaitForSingleObject(h, windows.INFINITE)
			windows.CloseHandle(h)
			closeJob() // the child is gone: so is whatever it left behind
		}()
	} else {
		closeJob()
	}
	if err := resume(pid); err != nil {
		_ = cmd.Process.Kill()
		return nil // Wait reports the killed child
	}
	return nil
}

// killOnCloseJob creates an unnamed job object that kills its processes
// when its last handle is closed.
func killOnCloseJob() (windows.Handle, error) {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return 0, err
	}
	info := windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION{}
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(job)
		return 0, err
	}
	return job, nil
}

// resume resumes the threads of a process started suspended (its main
// thread: exec closes the thread handle CreateProcess returned).
func resume(pid uint32) error {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPTHREAD, 0)
	if err != nil {
		return err
	}
	defer windows.CloseHandle(snap)
	te := windows.ThreadEntry32{Size: uint32(unsafe.Sizeof(windows.ThreadEntry32{}))}
	resumed := false
	for err = windows.Thread32First(snap, &te); err == nil; err = windows.Thread32Next(snap, &te) {
		if te.OwnerProcessID != pid {
			continue
		}
		th, oerr := windows.OpenThread(windows.THREAD_SUSPEND_RESUME, false, te.ThreadID)
		if oerr != nil {
			return oerr
		}
		_, rerr := windows.ResumeThread(th)
		windows.CloseHandle(th)
		if rerr != nil {
			return rerr
		}
		resumed = true
	}
	if !resumed {
		return windows.ERROR_INVALID_THREAD_ID
	}
	return nil
}

// signalName is empty: Windows has no signals (exit codes carry
// exceptions; see ntstatus.go).
func signalName(*exec.ExitError) string { return "" }
