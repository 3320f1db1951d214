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

#endif
