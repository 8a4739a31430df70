package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of linux-cpu, sections of the note linux/cpu. */
enum CpuCode implements CheckCode {
    CPU_BUSY("the CPUs were busy (not idle, not waiting for I/O) above the threshold during the window"),
    CPU_SATURATED("runnable tasks waited for a CPU for a large share of the window (PSI cpu some)"),
    IOWAIT_HIGH("CPUs sat idle waiting for I/O for a large share of the window"),
    STEAL_HIGH("the hypervisor gave this guest's CPU time to others for a large share of the window");

    private final String title;

    CpuCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return LinuxCpu.NOTE;
    }
}
