import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import TestSupport

/// One iperf3 TCP flow from the scratch namespace to an address of the peer (`download`: the peer sends),
/// with a one-off server; its goodput is read from iperf3's JSON report.
final class IperfFlow {
    let server = Process()
    let client = Process()
    private let output = Pipe()

    /// - Parameter bitsPerSecond: iperf3's own pacing (`-b`), 0 for as fast as TCP goes.
    init(_ namespace: ScratchNamespace, to address: String, port: Int, seconds: Int, download: Bool,
         bitsPerSecond: Int = 0) throws {
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["ip", "netns", "exec", namespace.peer, "iperf3", "-s", "-1", "-p", "\(port)"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        Thread.sleep(forTimeInterval: 0.3)
        client.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        client.arguments = ["ip", "netns", "exec", namespace.name, "iperf3", "-c", address, "-p", "\(port)",
                            "-t", "\(seconds)", "-J"] + (download ? ["-R"] : [])
            + (bitsPerSecond > 0 ? ["-b", "\(bitsPerSecond)"] : [])
        client.standardOutput = output
        client.standardError = FileHandle.nullDevice
        try client.run()
    }

    /// The receiver's goodput in bits per second, once the flow has ended.
    func goodput() -> Double {
        let data = output.fileHandleForReading.readDataToEndOfFile()
        client.waitUntilExit()
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let end = json["end"] as? [String: Any], let received = end["sum_received"] as? [String: Any],
            let bits = received["bits_per_second"] as? Double
        else { return 0 }
        return bits
    }

    deinit {
        for process in [client, server] where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
