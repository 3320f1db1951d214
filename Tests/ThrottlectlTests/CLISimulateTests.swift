import Foundation
import Testing
import TestSupport

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// End-to-end: `throttlectl simulate` in every format.
struct CLISimulateTests {
    let week = ["simulate", "--policy", BinaryRunner.example("mars-documented.yaml"),
                "--from", "2026-11-23T00:00:00+01:00", "--to", "2026-11-30T00:00:00+01:00"]

    @Test func jsonIsAnArrayOfClippedWindows() throws {
        let result = try BinaryRunner.run(week + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let windows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(windows.map { $0["kind"] as? String } == [
            "non-work-hours", "work-hours", "non-work-hours", "work-hours", "non-work-hours",
        ])
        #expect(windows.first?["start"] as? String == "2026-11-23T00:00:00+01:00")
        #expect(windows.last?["end"] as? String == "2026-11-30T00:00:00+01:00")
        #expect(windows[1]["bitsPerSecond"] as? Int == 524_288)
        #expect(windows[2]["bitsPerSecond"] as? Int == 2_097_152)
    }

    @Test func csvHasAHeaderAndOneRowPerWindow() throws {
        let result = try BinaryRunner.run(week + ["--format", "csv"])
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "kind,throttled,bitsPerSecond,start,end,timeZone,downloadBitsPerSecond")
        #expect(lines.count == 6)
        #expect(lines[1]
            == "non-work-hours,true,2097152,2026-11-23T00:00:00+01:00,2026-11-23T09:00:00+01:00,Europe/Berlin,2097152")
    }

    @Test func textIsATable() throws {
        let result = try BinaryRunner.run(week)
        #expect(result.stdout.contains("2026-11-23T09:00:00+01:00  2026-11-23T18:00:00+01:00  work-hours      512 Kibit/s"))
    }

    @Test func svgIsAWellFormedChartWithDaysAsRows() throws {
        let result = try BinaryRunner.run(week + ["--format", "svg"])
        #expect(result.status == 0)
        let document = try XMLDocument(data: Data(result.stdout.utf8))
        let root = try #require(document.rootElement())
        #expect(root.name == "svg")
        let title = try #require(root.elements(forName: "title").first?.stringValue)
        #expect(title.contains("Europe/Berlin"))
        let labels = root.elements(forName: "text").compactMap(\.stringValue)
        for day in ["Mon 2026-11-23", "Tue 2026-11-24", "Sun 2026-11-29"] { #expect(labels.contains(day)) }
        #expect(!labels.contains("Mon 2026-11-30"))
        #expect(labels.contains("00") && labels.contains("23"))
        #expect(labels.contains("work-hours: 512 Kibit/s") && labels.contains("non-work-hours: 2 Mibit/s"))
        // Two work windows, each one rectangle; their colours differ from the non-work colour.
        let rects = root.elements(forName: "rect").filter { $0.elements(forName: "title").isEmpty == false }
        let work = rects.filter { $0.elements(forName: "title").first?.stringValue?.hasPrefix("work-hours") == true }
        #expect(work.count == 2)
        let nonWork = rects.filter { $0.elements(forName: "title").first?.stringValue?.hasPrefix("non-work") == true }
        #expect(nonWork.count == 9)  // Mon and Tue before and after work, then five whole days
        #expect(work[0].value(of: "fill") != nil && work[0].value(of: "fill") != nonWork[0].value(of: "fill"))
        // 09:00–18:00 is 9 of 24 hour columns.
        let width = try #require(Double(work[0].value(of: "width") ?? ""))
        #expect(width == 9 * 32)
    }

    @Test func reversedRangeIsAUsageError() throws {
        let result = try BinaryRunner.run(["simulate", "--no-throttle", "--from", "2026-11-30T00:00:00Z",
                                           "--to", "2026-11-23T00:00:00Z"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--from must be before --to"))
    }
}

extension XMLElement {
    /// An attribute's value (swift-corelibs-foundation's `attribute(forName:)` misses attributes under a
    /// default namespace, as SVG has).
    func value(of attribute: String) -> String? {
        attributes?.first { $0.name == attribute }?.stringValue
    }
}
