import Foundation

/// What a stretch of time is, in MARS terms.
public enum WindowKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Inside work hours on a work day.
    case workHours = "work-hours"
    /// Outside work hours, or a non-work day.
    case nonWorkHours = "non-work-hours"
    /// Throttling is off (MARS `-NoThrottle`).
    case unthrottled
}

/// The bandwidth a policy allows at one instant, and why.
public struct Allowance: Hashable, Sendable, CustomStringConvertible {
    /// Work hours, non-work hours, or unthrottled.
    public let kind: WindowKind
    /// The upload (egress) bandwidth: what backups send, and what `bitsPerSecond` reports.
    public let bandwidth: Bandwidth
    /// The download (ingress) bandwidth; the same as `bandwidth` unless the policy sets it apart.
    public let download: Bandwidth

    /// An allowance of `kind`; `download` defaults to `bandwidth`.
    public init(kind: WindowKind, bandwidth: Bandwidth, download: Bandwidth? = nil) {
        self.kind = kind
        self.bandwidth = bandwidth
        self.download = download ?? bandwidth
    }

    /// True when a limit applies in either direction (throttling on and a bandwidth that is not unlimited).
    public var isThrottled: Bool { kind != .unthrottled && (bandwidth != .unlimited || download != .unlimited) }

    /// True when the two directions differ.
    public var isAsymmetric: Bool { bandwidth != download }

    /// `work-hours 512 Kibit/s` (both directions when they differ).
    public var description: String {
        isAsymmetric ? "\(kind.rawValue) \(bandwidth) up, \(download) down" : "\(kind.rawValue) \(bandwidth)"
    }
}

/// A stretch of time with one allowance: from `start` (inclusive) to `end` (exclusive).
///
/// `start` is `nil` when no earlier transition exists, `end` when no later one does (a policy that never
/// changes, or one whose chain of windows runs past the schedule's search horizon).
public struct Window: Hashable, Sendable, CustomStringConvertible {
    /// What is allowed throughout the window.
    public let allowance: Allowance
    /// The first instant, or `nil` when no earlier transition exists.
    public let start: Date?
    /// The instant after the last (exclusive), or `nil` when no later transition exists.
    public let end: Date?

    /// A window of `allowance` over [`start`, `end`).
    public init(allowance: Allowance, start: Date?, end: Date?) {
        self.allowance = allowance
        self.start = start
        self.end = end
    }

    /// The allowance's kind.
    public var kind: WindowKind { allowance.kind }
    /// The upload bandwidth (see ``Allowance/download`` for the other direction).
    public var bandwidth: Bandwidth { allowance.bandwidth }
    /// True when a limit applies in either direction.
    public var isThrottled: Bool { allowance.isThrottled }

    /// True when `instant` lies in [start, end).
    public func contains(_ instant: Date) -> Bool {
        (start.map { $0 <= instant } ?? true) && (end.map { instant < $0 } ?? true)
    }

    /// The allowance and the extent, for debugging.
    public var description: String {
        "\(allowance) [\(start.map { "\($0)" } ?? "…"), \(end.map { "\($0)" } ?? "…"))"
    }
}
