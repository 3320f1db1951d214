import Foundation
import Testing
import TestSupport

/// The benchmark scripts under `Benchmarks/` are not run here (they need root, namespaces and minutes); these
/// cheap checks keep them parseable and their pure pieces right.
@Suite struct BenchmarkScriptTests {
    static let benchmarks = BinaryRunner.packageRoot.appendingPathComponent("Benchmarks")
    static let scripts = ["accuracy.sh", "transitions.sh", "apply-speed.sh", "startup.sh", "run-all.sh",
                          "selection-vs-tc.sh", "lib/common.sh", "lib/preflight.sh"]
    static let pythonFiles = ["benchlib.py", "qdisc_stats.py", "accuracy.py", "transitions.py", "apply_speed.py",
                              "startup.py", "svgchart.py"]

    static func run(_ arguments: [String], in directory: URL = benchmarks) throws -> BinaryRunner.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return .init(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    @Test(arguments: scripts)
    func scriptParses(_ script: String) throws {
        let result = try Self.run(["bash", "-n", script])
        #expect(result.status == 0, "bash -n \(script): \(result.stderr)")
    }

    @Test(arguments: pythonFiles)
    func pythonCompiles(_ file: String) throws {
        let result = try Self.run(["python3", "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])",
                                   "lib/\(file)"])
        #expect(result.status == 0, "\(file): \(result.stderr)")
    }

    @Test func runAllHelpNamesQuickAndUnknownOptionsAreUsageErrors() throws {
        let help = try Self.run(["bash", "run-all.sh", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--quick"))
        #expect(help.stdout.contains("latest.md"))
        let bad = try Self.run(["bash", "run-all.sh", "--fast"])
        #expect(bad.status == 64, "\(bad.stderr)")
    }

    /// Usage errors are refused (64) before anything is built or any namespace made; a bad binary override is 69.
    @Test func selectionVersusTcRefusesBadRoundsAndBinaries() throws {
        for bad in [["0"], ["five"], ["2", "3"], ["-1"], [""]] {
            let result = try Self.run(["bash", "selection-vs-tc.sh"] + bad)
            #expect(result.status == 64, "\(bad): \(result.stderr)")
            #expect(result.stderr.contains("usage"), "\(bad): \(result.stderr)")
        }
        let help = try Self.run(["bash", "selection-vs-tc.sh", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("BENCH_LOCK"))
        if getuid() == 0 {
            let missing = try Self.run(["THROTTLECTL_BIN=/nonexistent/throttlectl", "bash", "selection-vs-tc.sh", "1"])
            #expect(missing.status == 69, "\(missing.stderr)")
            #expect(missing.stderr.contains("/nonexistent/throttlectl"))
        }
    }

    /// The checks made before anything is built or measured (as root, which every script needs first): a folder
    /// is not an executable (69), a lock or chart that cannot be written is 73, and a relative binary is the
    /// caller's, whatever folder the script moves to.
    @Test(.enabled(if: getuid() == 0, "the scripts check for root first"))
    func preflightChecksComeBeforeAnyWork() throws {
        let folder = try Self.run(["THROTTLECTL_BIN=/tmp", "bash", "run-all.sh", "--out", "/tmp/never-written.md"])
        #expect(folder.status == 69, "\(folder.stderr)")
        #expect(folder.stderr.contains("THROTTLECTL_BIN=/tmp is not an executable file"))
        let lock = try Self.run(["BENCH_LOCK=/nonexistent/folder/lock", "bash", "run-all.sh", "--out", "/tmp/never-written.md"])
        #expect(lock.status == 73, "\(lock.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written.md"))
        let chart = try Self.run(["bash", "transitions.sh", "--svg", "/proc/no-such-folder/chart.svg"])
        #expect(chart.status == 73, "\(chart.stderr)")
        // Relative to Benchmarks/ (where this runs); selection-vs-tc.sh moves to the package root before using it.
        let relative = try Self.run(["THROTTLECTL_BIN=../Package.swift", "SELECTION_BENCH_BIN=/tmp", "bash",
                                     "selection-vs-tc.sh", "1"])
        #expect(relative.status == 69, "\(relative.stderr)")
        #expect(relative.stderr.contains("THROTTLECTL_BIN=\(Self.benchmarks.path)/../Package.swift is not an executable"),
                "\(relative.stderr)")
    }

    /// 1448 payload bytes in a 1514-byte frame (1500 MTU, TCP timestamps): the ceiling goodput is held to.
    @Test func framingMaximumIsComputedFromTheMTU() throws {
        let result = try Self.run(["python3", "-c", """
            import sys; sys.path.insert(0, "lib"); import benchlib
            print("%.4f %d" % benchlib.framing_maximum(1500))
            print("%.4f %d" % benchlib.framing_maximum(9000, timestamps=False))
            print(benchlib.rate_text(524288), "|", benchlib.rate_text(10**9), "|", benchlib.median([3, 1, 2, 10]))
            """])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "0.9564 1448\n0.9940 8960\n512 Kibit/s | 1 Gbit/s | 2.5\n")
    }

    /// The transition chart is well-formed SVG with one measured line and one configured-rate line per panel.
    @Test func transitionChartIsWellFormedSVG() throws {
        let result = try Self.run(["python3", "-c", """
            import sys, xml.etree.ElementTree as ET; sys.path.insert(0, "lib"); import svgchart
            samples = [{"t": 100 + i / 10, "bytes": i * 6553, "handle": 1 if i < 40 else 2} for i in range(90)]
            done = [(103.5, 103.52, 2097152, samples[35], samples[36]), (106.5, 106.52, 524288, samples[65], samples[66])]
            svg = svgchart.render([("a", 100.0, samples, done, 524288, 2097152)] * 2, 0.1)
            root = ET.fromstring(svg)
            ns = "{http://www.w3.org/2000/svg}"
            print(len(root.findall(ns + "polyline")), len(root.findall(ns + "path")), len(root.findall(ns + "rect")))
            """])
        #expect(result.status == 0, "\(result.stderr)")
        // two panels: a polyline and a step path each; rects: the background, two frames and 2 × 2 switch bands
        #expect(result.stdout == "2 2 7\n")
    }
}
