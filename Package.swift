// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "dataset",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dataset", targets: ["dataset"]),
        .library(name: "DatasetKit", targets: ["DatasetKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Thin shims over Debian's system libraries (see scripts/install-deps.sh).
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG", pkgConfig: "libturbojpeg",
                       providers: [.apt(["libturbojpeg0-dev"])]),
        // A small C target rather than a bare shim: libpng's classic API reports errors with
        // longjmp, which only C can catch (see Sources/CPNG/include/shim.h).
        .target(name: "CPNG", path: "Sources/CPNG",
                linkerSettings: [.linkedLibrary("png16")]),
        .systemLibrary(name: "CArchive", path: "Sources/CArchive", pkgConfig: "libarchive",
                       providers: [.apt(["libarchive-dev"])]),
        .target(
            name: "DatasetKit",
            dependencies: ["CTurboJPEG", "CPNG", "CArchive"],
            swiftSettings: [
                // Pixel kernels run on unsafe buffers; bounds are established once per row.
                .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
            ]
        ),
        .executableTarget(
            name: "dataset",
            dependencies: [
                "DatasetKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "DatasetKitTests", dependencies: ["DatasetKit"]),
    ]
)
