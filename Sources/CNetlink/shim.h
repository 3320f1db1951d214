// The C side of throttlectl's one seam to the kernel: libnl-3 / libnl-route-3 and the Linux tc headers.
// Only the TrafficControl target imports this module, and only its Netlink/ folder uses it.
#ifndef THROTTLECTL_CNETLINK_SHIM_H
#define THROTTLECTL_CNETLINK_SHIM_H

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/socket.h>
#include <netlink/errno.h>
#include <netlink/route/link.h>
#include <netlink/route/rtnl.h>
#include <linux/rtnetlink.h>
#include <linux/pkt_sched.h>
#include <linux/pkt_cls.h>
#include <linux/gen_stats.h>
#include <linux/tc_act/tc_mirred.h>
#include <linux/if_ether.h>
#include <sys/timerfd.h>
#include <sys/eventfd.h>
#include <time.h>

/// NLM_F_* request flags, as plain constants (the header spells them as macros built from others).
static inline int cnl_flag_request(void) { return NLM_F_REQUEST; }
static inline int cnl_flag_ack(void) { return NLM_F_ACK; }
static inline int cnl_flag_dump(void) { return NLM_F_DUMP; }
static inline int cnl_flag_create(void) { return NLM_F_CREATE; }
static inline int cnl_flag_excl(void) { return NLM_F_EXCL; }
static inline int cnl_flag_replace(void) { return NLM_F_REPLACE; }

/// setns(2) for network namespaces (declared here: glibc only declares it under _GNU_SOURCE).
extern int setns(int fd, int nstype);
static inline int cnl_enter_network_namespace(int fd) { return setns(fd, 0x40000000 /* CLONE_NEWNET */); }

/// A non-blocking CLOCK_REALTIME timerfd (the daemon's wall-clock deadline).
static inline int cnl_realtime_timer_create(void) {
    return timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
}

/// Arms the timer at an absolute wall-clock instant with TFD_TIMER_CANCEL_ON_SET, so that a step of the
/// clock (settimeofday, NTP step, resume) makes the next read fail with ECANCELED.
static inline int cnl_realtime_timer_arm(int fd, long long seconds, long nanoseconds) {
    struct itimerspec spec = {0};
    spec.it_value.tv_sec = (time_t)seconds;
    spec.it_value.tv_nsec = nanoseconds;
    return timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, NULL);
}

/// A non-blocking eventfd, to wake a poll(2) from another thread.
static inline int cnl_eventfd_create(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

/// RTNLGRP_* multicast groups, as plain constants (an enum in the header).
static inline int cnl_group_link(void) { return RTNLGRP_LINK; }
static inline int cnl_group_tc(void) { return RTNLGRP_TC; }

#endif
