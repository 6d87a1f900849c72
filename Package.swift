// swift-tools-version:6.0
import PackageDescription
import Foundation

// The processor the release build is tuned for. The pixel kernels are written for the
// auto-vectoriser, and with AVX2 (`DATASET_TARGET_CPU=haswell`: every x86 CPU since 2013-2015)
// resize and augment run 1.4-2x faster. `-target-cpu` is an unsafe flag, which SwiftPM refuses
// in a package used as a versioned dependency, so only an explicit setting adds it: the scripts
// that build release (scripts/release-env.sh) set it where the CPU has AVX2, and a plain
// `swift build -c release` makes code for any processor of the architecture.
//
// Nothing is built with -Ounchecked: every precondition and overflow check stays, above all in
// the code that parses input. The measured kernels make their few unchecked operations explicit
// (unsafe pointers, wrapping arithmetic, `UInt8(wholeFloat:)`), which keeps them as fast.
let targetCPU = ProcessInfo.processInfo.environment["DATASET_TARGET_CPU"].flatMap { $0.isEmpty ? nil : $0 }
let tuning: [SwiftSetting] = targetCPU.map { [.unsafeFlags(["-target-cpu", $0], .when(configuration: .release))] } ?? []

let package = Package(
    name: "dataset",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dataset", targets: ["dataset"]),
        .library(name: "DatasetKit", targets: ["DatasetKit"]),
        .library(name: "NeuralKit", targets: ["NeuralKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // CSV reading/writing for `labels` (quotes, CRLF, BOM).
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        // MD5/SHA-256 of archives while they stream (`unpack --verify`), of written shards (`pack`)
        // and of image contents (`clean` duplicates).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        // Recipe files (`dataset run`).
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
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
                       providers: [.apt(["libarchive-dev", "zlib1g-dev"])]),
        // oneDNN 2.x (Debian ships no pkg-config file for it; the modulemap links `dnnl`).
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL", providers: [.apt(["libdnnl-dev"])]),
        // libhdf5 1.10: Keras weight files (`.h5`, `.weights.h5`).
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .target(
            name: "DatasetKit",
            dependencies: ["CTurboJPEG", "CPNG", "CArchive", .product(name: "CSV", package: "CSV.swift"),
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: tuning
        ),
        // The bundled trainer: layers on oneDNN, losses, optimizers, training loop, metrics, model
        // files, pretrained weight files.
        .target(
            name: "NeuralKit",
            dependencies: ["DatasetKit", "CDNNL", "CHDF5"],
            swiftSettings: tuning
        ),
        .executableTarget(
            name: "dataset",
            dependencies: [
                "DatasetKit",
                "NeuralKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Per-stage timings (decode, resize, encode) for the benchmark harness.
        .executableTarget(name: "kernel-bench", dependencies: ["DatasetKit"], path: "Sources/kernel-bench"),
        // A backbone's outputs for the Keras parity check (bench/backbone_parity.py compare).
        .executableTarget(name: "backbone-probe", dependencies: ["DatasetKit", "NeuralKit", "CDNNL"], path: "Sources/backbone-probe"),
        // Fixtures more than one test target uses (a folder chain too deep to open, even for root;
        // a loopback HTTP server; Keras weight files written through libhdf5).
        .target(name: "TestSupport", dependencies: ["CHDF5"], path: "Tests/TestSupport"),
        // CArchive: archive fixtures are written, and written archives read back, with libarchive.
        .testTarget(name: "DatasetKitTests", dependencies: ["DatasetKit", "CTurboJPEG", "CArchive", "TestSupport"]),
        // Gradient checks, training, metrics and model files (small nets, small data); TestSupport
        // writes the Keras weight files the readers are tested on and serves weight downloads from
        // a loopback HTTP server.
        .testTarget(name: "NeuralKitTests", dependencies: ["NeuralKit", "DatasetKit", "CDNNL", "TestSupport"],
                    exclude: ["Fixtures"]),
        // Runs the built `dataset` binary: exit codes, JSON, reruns, as a user would. NeuralKit for
        // the facts a test checks output against (ImageNet classes, Keras weight tables).
        .testTarget(name: "DatasetCLITests", dependencies: ["dataset", "DatasetKit", "NeuralKit", "TestSupport"]),
    ]
)

// Fuzz targets (libFuzzer, which ships with the Swift toolchain), one per parser of untrusted
// input: built only by scripts/fuzz.sh, which sets DATASET_FUZZ=1 and `--sanitize fuzzer`.
// Each is one file without `main`: libFuzzer supplies it.
if ProcessInfo.processInfo.environment["DATASET_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("NPYHeader", ["DatasetKit"]),
        ("SafeTensorsHeader", ["NeuralKit"]),
        ("ArchiveEntries", ["DatasetKit"]),
        ("Manifest", ["DatasetKit"]),
        ("Recipe", ["DatasetKit", .product(name: "Yams", package: "Yams")]),
    ]
    for target in fuzzTargets {
        package.targets.append(.executableTarget(name: "fuzz-\(target.name)", dependencies: target.dependencies,
                                                 path: "Fuzz/\(target.name)"))
    }
}
