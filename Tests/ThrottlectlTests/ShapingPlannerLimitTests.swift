import Testing
import ThrottlePolicy
import TokenBucket
import TrafficControl

/// The planner range-checks what the kernel and the policy hand it, instead of trapping on derived values.
struct ShapingPlannerLimitTests {
    func window(_ bits: UInt64) -> Window {
        Window(allowance: Allowance(kind: .workHours, bandwidth: .bitsPerSecond(bits)), start: nil, end: nil)
    }

    @Test(arguments: [UInt32(0), 536_870_898, 2_147_483_647, .max])
    func anInterfaceMTUOutOfRangeIsAnError(mtu: UInt32) throws {
        let interface = NetworkInterface(index: 1, name: "lo", mtu: mtu, isUp: true)
        let error = try #require(throws: TokenBucketError.self) {
            try ShapingPlanner().plan(window: window(10_000_000), interface: interface)
        }
        #expect(error.message.contains("lo's MTU of \(mtu) bytes is out of range: give 68 to 131072 bytes"))
    }

    @Test func aRateAboveTheRangeIsAnErrorNotATrap() throws {
        let interface = NetworkInterface(index: 1, name: "lo", mtu: 65_536, isUp: true)
        let error = try #require(throws: TokenBucketError.self) {
            try ShapingPlanner().plan(window: window(6_871_787_672_000), interface: interface)
        }
        #expect(error.message.contains("out of range"), "\(error.message)")
    }

    @Test func loopbacksMTUIsShapeableAtTheSlowestRate() throws {
        // Each window is sized for its own rate: at 8 kbit/s the bucket is two 65,550-byte frames (131 s of
        // sending, within the 32-bit tick field).
        let interface = NetworkInterface(index: 1, name: "lo", mtu: 65_536, isUp: true)
        let plan = try ShapingPlanner().plan(window: window(8000), interface: interface)
        #expect(plan.upload?.tbf.effectiveBurst == 131_100)
        #expect(plan.upload?.tbf.kernelBufferTicks ?? .max < UInt32.max)
    }
}

/// Dry runs print command lines a person may paste: device names are shell-quoted.
struct CommandLineQuotingTests {
    @Test func operationsQuoteDeviceNames() throws {
        let spec = QdiscSpec(device: "x$(id)", handle: .ingress, parent: .ingressParent, configuration: .ingress)
        #expect(TrafficControlOperation.addQdisc(spec).commandLine == "tc qdisc add dev 'x$(id)' ingress")
        #expect(TrafficControlOperation.deleteQdisc(spec).commandLine == "tc qdisc del dev 'x$(id)' ingress")
        #expect(TrafficControlOperation.createIFB("a b").commandLine == "ip link add 'a b' type ifb")
        #expect(TrafficControlOperation.bringUp("ifb-eth0").commandLine == "ip link set ifb-eth0 up")
    }
}
