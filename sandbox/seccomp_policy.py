"""Writes the sandbox's seccomp filter (classic BPF) to stdout, for `bwrap --seccomp FD`.

Run by the driver as root on the host (trusted code, never member code). The filter allows
everything by default and refuses what a Python lesson never needs but an escape would:
other namespaces, mounts, kernel keys, tracing other processes, kernel modules, eBPF, and
every socket family except AF_UNIX (multiprocessing needs AF_UNIX; the network namespace is
already empty, this is the second wall). Refused calls fail with EPERM, so Python raises a
plain PermissionError instead of dying.
"""
import errno
import socket
import sys

import seccomp

# Calls that fail with EPERM: namespaces, mounts, keys, tracing, modules, kernel knobs.
DENIED = [
    # namespaces and mounts
    "unshare", "setns", "mount", "umount", "umount2", "pivot_root", "chroot",
    "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
    "open_by_handle_at", "name_to_handle_at",
    # kernel keyring
    "keyctl", "add_key", "request_key",
    # tracing and reading other processes
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    # eBPF, perf, userfaultfd (used to widen kernel races)
    "bpf", "perf_event_open", "userfaultfd",
    # kernel modules, kexec, reboot, swap, accounting, clocks, quotas, logs
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
    "reboot", "swapon", "swapoff", "acct", "settimeofday", "clock_settime", "clock_adjtime",
    "adjtimex", "quotactl", "syslog", "vhangup", "iopl", "ioperm", "lookup_dcookie",
    "personality",
    # io_uring can open sockets and files without passing through this filter
    "io_uring_setup", "io_uring_enter", "io_uring_register",
]

# clone3 takes its flags in a struct seccomp cannot read: answer ENOSYS so glibc falls back to
# clone(), whose flags are checked below.
NOT_IMPLEMENTED = ["clone3"]

# CLONE_NEWUSER, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWCGROUP
NAMESPACE_FLAGS = (0x10000000, 0x04000000, 0x08000000, 0x20000000, 0x40000000, 0x00020000, 0x02000000)


def build():
    f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    for name in DENIED:
        try:
            f.add_rule(seccomp.ERRNO(errno.EPERM), name)
        except (RuntimeError, ValueError):
            pass  # not a system call on this architecture
    for name in NOT_IMPLEMENTED:
        f.add_rule(seccomp.ERRNO(errno.ENOSYS), name)
    # clone() creating any new namespace: bwrap's --disable-userns covers users; this covers the rest.
    for flag in NAMESPACE_FLAGS:
        f.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    # Sockets: only AF_UNIX. Everything else (inet, inet6, netlink, packet, ...) is refused.
    f.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
    f.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socketpair", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
    # TIOCSTI pushes characters into a terminal's input; the sandbox has no terminal, refuse anyway.
    f.add_rule(seccomp.ERRNO(errno.EPERM), "ioctl", seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, 0x5412))
    return f


if __name__ == "__main__":
    build().export_bpf(sys.stdout)
