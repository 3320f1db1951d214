"""Root-qdisc counters read straight from rtnetlink (no process spawned), so they can be sampled every 100 ms.

Byte counters of a qdisc count qdisc_pkt_len: every segment of a GSO packet with its own headers, link-layer
header included: the bytes the shaper's rate is about. (Device counters count a GSO packet's headers once.)
"""
import ctypes
import os
import socket
import struct

CLONE_NEWNET = 0x40000000
RTM_GETQDISC = 38
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
NLMSG_DONE, NLMSG_ERROR = 3, 2
TCA_KIND, TCA_STATS, TCA_STATS2 = 1, 3, 7
TCA_STATS_BASIC, TCA_STATS_QUEUE = 1, 3
TC_H_ROOT = 0xFFFFFFFF


def enter_namespace(name):
    """Moves this process into the network namespace `ip netns` calls `name`."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns {name}")
    finally:
        os.close(fd)


def _attributes(data):
    offset = 0
    while offset + 4 <= len(data):
        length, kind = struct.unpack_from("=HH", data, offset)
        if length < 4:
            break
        yield kind & 0x3FFF, data[offset + 4:offset + length]
        offset += (length + 3) & ~3


class RootStats:
    """Counters of the root qdisc of one interface in the current network namespace."""

    def __init__(self, interface):
        self.interface = interface
        self.index = socket.if_nametoindex(interface)
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)  # NETLINK_ROUTE
        self.sock.bind((0, 0))
        self.seq = 0

    def read(self):
        """(kind, bytes, packets, drops, backlog bytes, queued packets, handle) of the interface's root qdisc."""
        self.seq += 1
        tcmsg = struct.pack("=BxxxiIII", socket.AF_UNSPEC, self.index, 0, 0, 0)
        header = struct.pack("=IHHII", 16 + len(tcmsg), RTM_GETQDISC, NLM_F_REQUEST | NLM_F_DUMP, self.seq, 0)
        self.sock.send(header + tcmsg)
        found = None
        while True:
            data = self.sock.recv(1 << 20)
            offset = 0
            while offset + 16 <= len(data):
                length, kind, _, _, _ = struct.unpack_from("=IHHII", data, offset)
                if kind == NLMSG_DONE:
                    if found is None:
                        raise RuntimeError(f"{self.interface}: no root qdisc")
                    return found
                if kind == NLMSG_ERROR:
                    raise OSError(-struct.unpack_from("=i", data, offset + 16)[0], "RTM_GETQDISC")
                body = data[offset + 16:offset + length]
                _, index, handle, parent, _ = struct.unpack_from("=BxxxiIII", body, 0)
                if index == self.index and parent == TC_H_ROOT:
                    found = self._decode(body[20:]) + (handle,)
                offset += (length + 3) & ~3

    @staticmethod
    def _decode(attributes):
        kind, bytes_, packets, drops, backlog, qlen = "", 0, 0, 0, 0, 0
        for key, value in _attributes(attributes):
            if key == TCA_KIND:
                kind = value.rstrip(b"\0").decode()
            elif key == TCA_STATS2:
                for inner, payload in _attributes(value):
                    if inner == TCA_STATS_BASIC:
                        bytes_, packets = struct.unpack_from("=QI", payload)
                    elif inner == TCA_STATS_QUEUE:
                        qlen, backlog, drops, _, _ = struct.unpack_from("=IIIII", payload)
        return kind, bytes_, packets, drops, backlog, qlen
