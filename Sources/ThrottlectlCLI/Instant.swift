import ArgumentParser
import Foundation
import ThrottlePolicy

/// Reads an ISO-8601 instant with an offset for `--at`, `--from`, `--to`; a bad one is a usage error (64).
@Sendable
func parseInstant(_ argument: String) throws -> Date {
    do {
        return try ISO8601.parse(argument)
    } catch {
        throw ValidationError(error.message)
    }
}
