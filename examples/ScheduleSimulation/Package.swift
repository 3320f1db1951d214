// swift-tools-version:6.1
// A user of throttlectl's libraries: a backup tool that plans transfers around a bandwidth schedule and
// tests that plan on a virtual clock. It depends on the libraries by path, as a checkout beside it would.
import PackageDescription

let package = Package(
    name: "ScheduleSimulation",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "throttlectl", path: "../..")],
    targets: [
        .target(
            name: "BackupWindows",
            dependencies: [
                .product(name: "ThrottlePolicy", package: "throttlectl"),
                .product(name: "TokenBucket", package: "throttlectl"),
            ]
        ),
        .testTarget(name: "BackupWindowsTests", dependencies: ["BackupWindows"]),
    ]
)
