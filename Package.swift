// swift-tools-version:6.2
import PackageDescription

/// Settings every Hafen target shares (see ../shared/CONVENTIONS.md).
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "Hafen",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hafen", targets: ["hafen"]),
        .executable(name: "hafen-simulator", targets: ["hafen-simulator"]),
        .library(name: "Gateway", targets: ["Gateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/GraphQLSwift/GraphQL", from: "4.3.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .target(name: "Formats", swiftSettings: strict),
        .target(name: "Validation", dependencies: ["Formats"], swiftSettings: strict),
        .target(name: "EDIFACT", dependencies: ["Formats"], swiftSettings: strict),
        .target(
            name: "Ledger",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .target(
            name: "Transport",
            dependencies: [
                "Formats", "SFTP", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CLibSSH2", pkgConfig: "libssh2", providers: [.apt(["libssh2-1-dev"])]),
        .target(name: "SFTP", dependencies: ["CLibSSH2"], swiftSettings: strict),
        // The XML reader's state is private to one non-Sendable class used by one task at a
        // time; release builds skip the runtime exclusivity check on it, a tenth of the reading
        // time (debug builds and the tests keep it).
        .target(
            name: "XML", dependencies: ["CLibXML2"],
            swiftSettings: strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "HTTP",
            dependencies: ["CCurl", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: strict
        ),
        .target(name: "Commerce", swiftSettings: strict),
        .target(
            name: "Shops",
            dependencies: [
                "Commerce", "HTTP", .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Shopify/GraphQL")],
            swiftSettings: strict
        ),
        .target(
            name: "ShopSimulator",
            dependencies: [
                "HTTP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Schema")],
            swiftSettings: strict
        ),
        .target(name: "Mapping", dependencies: ["Commerce", "Formats"], swiftSettings: strict),
        .target(
            name: "Gateway",
            dependencies: [
                "Formats", "Validation", "Ledger", "Transport", "Commerce", "Mapping", "Shops", "HTTP", "XML", "SFTP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "AdminServer",
            dependencies: [
                "Gateway", "Ledger", "Transport", "Shops",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "hafen",
            dependencies: [
                "Gateway", "AdminServer", "Transport", "Formats", "Validation", "Ledger", "Commerce", "Mapping", "Shops",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "hafen-simulator",
            dependencies: [
                "ShopSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "HafenTesting",
            dependencies: ["Gateway", "Ledger", "Formats", "HTTP", "SFTP", .product(name: "HTTPTypes", package: "swift-http-types")],
            exclude: ["password_sftp_server.py"],
            swiftSettings: strict
        ),
        .testTarget(name: "FormatsTests", dependencies: ["Formats", "HafenTesting"], swiftSettings: strict),
        .testTarget(name: "ValidationTests", dependencies: ["Validation", "Formats", "HafenTesting"], swiftSettings: strict),
        .testTarget(
            name: "LedgerTests", dependencies: ["Ledger", "HafenTesting", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: strict),
        .testTarget(
            name: "HTTPTests", dependencies: ["HTTP", "HafenTesting", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: strict),
        .testTarget(name: "XMLTests", dependencies: ["XML", "HafenTesting"], swiftSettings: strict),
        .testTarget(
            name: "EDIFACTTests", dependencies: ["EDIFACT", "Formats", "HafenTesting"], exclude: ["pydifact_segments.py"],
            swiftSettings: strict),
        .testTarget(name: "SFTPTests", dependencies: ["SFTP", "HafenTesting"], swiftSettings: strict),
        .testTarget(name: "ShopsTests", dependencies: ["Shops", "Commerce", "HTTP", "HafenTesting"], swiftSettings: strict),
        .testTarget(
            name: "ShopSimulatorTests",
            dependencies: ["ShopSimulator", "HafenTesting", "HTTP", .product(name: "HTTPTypes", package: "swift-http-types")],
            exclude: ["check_schema_subset.py"], swiftSettings: strict),
        .testTarget(name: "MappingTests", dependencies: ["Mapping", "Commerce", "Formats"], swiftSettings: strict),
        .testTarget(
            name: "TransportTests",
            dependencies: [
                "Transport", "SFTP", "Formats", "HafenTesting", .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "AdminServer", "Ledger", "Formats", "Validation", "Mapping", "Commerce", "Shops", "HTTP", "Transport", "HafenTesting",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
    ]
)
