import Testing

@testable import TrafficControl

/// The socket's failure paths, which need no privileges: each must free the libnl socket exactly once.
@Suite struct NetlinkSocketTests {
    @Test func aFailedConnectFreesTheSocketOnce() {
        // Netlink family 31 does not exist: nl_connect fails after nl_socket_alloc succeeded. A double free
        // here aborts the test process (glibc detects it within a few hundred rounds).
        for _ in 0..<500 {
            #expect(throws: NetlinkError.self) { try NetlinkSocket(family: 31) }
        }
    }

    @Test func aMissingNamespaceFreesTheSocketOnce() {
        for _ in 0..<200 {
            #expect(throws: NetlinkError.self) { try NetlinkSocket(namespace: "throttlectl-no-such-namespace") }
        }
    }
}
