import Foundation
import Testing
import TestSupport
import TokenBucket
import TrafficControl

/// iproute2's `tc` installs TBF and HTB for hundreds of parameter combinations; what the kernel reports back
/// (read through libnl) must equal what `TokenBucket` predicted in tc mode.
extension KernelSuites {
@Suite struct TcParityTests {
    static let rates: [UInt64] = [
        8000, 56_000, 1_000_000, 1_234_567, 10_000_000, 100_000_000, 999_999_999, 1_000_000_000, 5_000_000_000,
        10_000_000_000, 40_000_000_000,
    ]

    @Test func tbfParity() throws {
        try KernelGate.check()
        let namespace = try ScratchNamespace()
        let kernel = try KernelConnection(namespace: namespace.name)
        let device = try kernel.interface(named: "v0")
        let bursts: [UInt64] = [1600, 15_000, 32_768, 100_000, 1_048_576]
        let bounds: [TBFRequest.QueueBound] = [
            .latency(microseconds: 1000), .latency(microseconds: 50_000), .limit(bytes: 200_000), .limit(bytes: 3_000_000),
        ]
        var compared = 0
        var rejected = 0
        for rate in Self.rates {
            for burst in bursts {
                for bound in bounds {
                    let request = TBFRequest(bitsPerSecond: rate, burst: burst, queueBound: bound)
                    let expected: TBFParameters
                    do { expected = try TBFParameters(request, mode: .tc) } catch {
                        // TBFParameters rejects 4 of the 220 requests. Counted and pinned below, so that a new
                        // rejection (or a lost comparison) fails the test instead of shrinking it.
                        rejected += 1
                        continue
                    }
                    try namespace.tc(Array(TcCommandLine.tbf(expected, device: "v0").split(separator: " ").dropFirst()
                        .map(String.init)))
                    let root = try #require(try kernel.qdiscs(interfaceIndex: device.index).first { $0.parent == .root })
                    guard case .tbf(let options) = root.options else {
                        Issue.record("root qdisc is \(root.kind), not tbf")
                        continue
                    }
                    #expect(options.rate == expected.rate.bytesPerSecond, "\(request)")
                    #expect(options.hasRate64 == expected.rate.needs64BitAttribute, "\(request)")
                    #expect(options.limit == expected.limit, "\(request)")
                    #expect(options.bufferTicks == expected.kernelBufferTicks, "\(request)")
                    compared += 1
                }
            }
        }
        // Peak rates, with tc's own mtu.
        for rate in Self.rates.prefix(8) {
            let request = TBFRequest(bitsPerSecond: rate, burst: 32_768, queueBound: .latency(microseconds: 20_000),
                                     mtu: 1514, peakBitsPerSecond: rate * 2)
            let expected = try TBFParameters(request, mode: .tc)
            try namespace.tc(Array(TcCommandLine.tbf(expected, device: "v0").split(separator: " ").dropFirst().map(String.init)))
            let root = try #require(try kernel.qdiscs(interfaceIndex: device.index).first { $0.parent == .root })
            guard case .tbf(let options) = root.options else {
                Issue.record("root qdisc is \(root.kind), not tbf")
                continue
            }
            #expect(options.peakRate == expected.peak?.bytesPerSecond, "\(request)")
            #expect(options.mtuTicks == expected.kernelPeakTicks, "\(request)")
            #expect(options.limit == expected.limit, "\(request)")
            compared += 1
        }
        #expect(compared == 224 && rejected == 4, "compared \(compared), rejected \(rejected)")
    }

    @Test func htbParity() throws {
        try KernelGate.check()
        let namespace = try ScratchNamespace()
        let kernel = try KernelConnection(namespace: namespace.name)
        let device = try kernel.interface(named: "v0")
        var compared = 0
        var rejected = 0
        for r2q: UInt32 in [10, 3] {
            // An HTB qdisc cannot be changed in place (the kernel says "Change operation not supported"): renew it.
            try namespace.tc(["qdisc", "del", "dev", "v0", "root"], allowFailure: true)
            try namespace.tc(["qdisc", "add", "dev", "v0", "root", "handle", "7470:", "htb", "default", "1",
                              "r2q", "\(r2q)"])
            for rate in Self.rates {
                for ceilFactor: UInt64 in [1, 3] {
                    for burst: UInt64? in [nil, 15_000] {
                        for quantum: UInt32? in [nil, 3000] {
                            for mtu: UInt32? in [nil, 9000] {
                                let request = HTBRequest(bitsPerSecond: rate, ceilBitsPerSecond: rate * ceilFactor,
                                                         burst: burst, cburst: burst.map { $0 * 2 }, quantum: quantum,
                                                         r2q: r2q, mtu: mtu)
                                let expected: HTBClassParameters
                                do { expected = try HTBClassParameters(request, mode: .tc) } catch {
                                    rejected += 1
                                    continue
                                }
                                let command = TcCommandLine.htb(expected, device: "v0")[1]
                                try namespace.tc(Array(command.split(separator: " ").dropFirst().map(String.init)))
                                let installed = try #require(
                                    try kernel.classes(interfaceIndex: device.index).first {
                                        $0.handle == TrafficControlHandle(major: 0x7470, minor: 1)
                                    })
                                let options = try #require(installed.htb)
                                #expect(options.rate == expected.rate.bytesPerSecond, "\(request)")
                                #expect(options.ceil == expected.ceil.bytesPerSecond, "\(request)")
                                #expect(options.hasRate64 == expected.rate.needs64BitAttribute, "\(request)")
                                #expect(options.bufferTicks == expected.bufferTicks, "\(request)")
                                #expect(options.cbufferTicks == expected.cbufferTicks, "\(request)")
                                #expect(options.quantum == expected.kernelQuantum, "\(request)")
                                compared += 1
                            }
                        }
                    }
                }
            }
        }
        #expect(compared == 352 && rejected == 0, "compared \(compared), rejected \(rejected)")
    }
}
}
