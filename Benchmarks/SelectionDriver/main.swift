// A tiny driver for Benchmarks/selection-vs-tc.sh: applies, renders or clears a service-tag selection through the
// TrafficControl library, so that the script can time whole processes (the CLI flags are wired elsewhere).
//   selection-bench apply  --interface IF --tags FILE --tag NAME... [--rate BITS]
//   selection-bench render --interface IF --tags FILE --tag NAME... [--rate BITS]   (prints the tc -batch file)
//   selection-bench clear  --interface IF
import Foundation
import ThrottlePolicy
import TrafficControl
import TrafficSelection

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { fail("usage: selection-bench apply|render|clear --interface IF …") }
arguments.removeFirst()
var interface = "", tagFile = "", tags: [String] = [], rate: UInt64 = 10_000_000
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    guard let value = arguments.first else { fail("\(flag) needs a value") }
    arguments.removeFirst()
    switch flag {
    case "--interface": interface = value
    case "--tags": tagFile = value
    case "--tag": tags.append(value)
    case "--rate": rate = UInt64(value) ?? rate
    default: fail("unknown flag \(flag)")
    }
}

let clock = ContinuousClock()
var mark = clock.now
let timing = ProcessInfo.processInfo.environment["SELECTION_BENCH_TIMES"] != nil
@MainActor func lap(_ what: String) {
    if timing { FileHandle.standardError.write(Data("\(what): \(clock.now - mark)\n".utf8)) }
    mark = clock.now
}

do {
    let kernel = try KernelConnection()
    let observed = try ObservedState.read(interfaceName: interface, from: kernel)
    lap("read the kernel")
    var plan: ShapingPlan?
    if command != "clear" {
        guard let data = FileManager.default.contents(atPath: tagFile) else { fail("cannot read \(tagFile)") }
        let bytes = Array(data)
        lap("read the tag file")
        let file = try ServiceTagFile.parse(bytes, path: tagFile)
        lap("parse the tag file")
        let selection = try TrafficSelection.resolve(SelectionRequest(tags: tags.map { Placed($0, at: "--tag") }),
                                                     file: file)
        let window = Window(allowance: Allowance(kind: .workHours, bandwidth: .bitsPerSecond(rate),
                                                 download: .bitsPerSecond(rate)), start: nil, end: nil)
        lap("resolve the selection")
        plan = try ShapingPlanner().plan(window: window, interface: observed.interface, selection: selection)
        lap("plan")
    }
    let operations = try Reconciler().reconcile(plan: plan, observed: observed, recordedRoot: nil, force: false).operations
    lap("reconcile")
    if command == "render" {
        print(TcBatch.render(operations), terminator: "")
        exit(0)
    }
    let outcome = Applier().apply(operations, with: LibnlWriter(kernel: kernel))
    lap("write")
    if let failure = outcome.failure { fail("\(failure.operation): \(failure.error)") }
    print("\(outcome.performed.count) operations")
} catch {
    fail("\(error)")
}
