import Foundation
import Synchronization
import Testing
import TestSupport
@testable import DatasetKit

/// `FileDownload` against a real HTTP server on the loopback interface.
@Suite struct FileDownloadTests {
    static let body = noise(300_000, seed: 16)

    static func digest(_ algorithm: ArchiveDigest.Algorithm, _ bytes: [UInt8]) -> ArchiveDigest {
        let digest = StreamingDigest(algorithm)
        bytes.withUnsafeBytes { digest.update($0) }
        return ArchiveDigest(algorithm: algorithm, hex: digest.finalize())
    }

    static func size(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    }

    @Test func downloadsTheWholeFileAndReportsProgress() throws {
        let server = LoopbackHTTPServer(body: Self.body)
        let folder = TemporaryFolder()
        let destination = folder.path + "/weights.h5"
        let seen = Mutex<[DownloadProgress]>([])
        let download = FileDownload(url: server.url, destination: destination, expectedDigest: Self.digest(.sha256, Self.body))
        let result = try download.run { progress in seen.withLock { $0.append(progress) } }

        #expect(try FileIO.read(destination) == Self.body)
        #expect(result == FileDownload.Result(path: destination, bytes: Int64(Self.body.count), resumedFrom: 0,
                                              digest: Self.digest(.sha256, Self.body).hex))
        #expect(!FileIO.exists(download.partialPath))
        let reports = seen.withLock { $0 }
        #expect(reports.last == DownloadProgress(completed: Int64(Self.body.count), total: Int64(Self.body.count), resumedFrom: 0))
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.completed <= $1.completed })
        #expect(server.requests.count == 1)
        #expect(server.requests.first?.headers["range"] == nil)
    }

    @Test func interruptedDownloadResumesWithARangeRequest() throws {
        let server = LoopbackHTTPServer(body: Self.body, mode: .dropAfter(100_000))
        let folder = TemporaryFolder()
        let destination = folder.path + "/weights.h5"
        let download = FileDownload(url: server.url, destination: destination, expectedDigest: Self.digest(.md5, Self.body))

        #expect {
            try download.run()
        } throws: { error in
            guard case .interrupted(let url, .connectionLost, _) = error as? DownloadError else { return false }
            return url == server.url.absoluteString
        }
        #expect(!FileIO.exists(destination))
        let kept = try #require(Self.size(download.partialPath))
        #expect(kept > 0 && kept <= 100_000)

        server.mode = .normal
        let result = try download.run()
        #expect(try FileIO.read(destination) == Self.body)
        #expect(result.resumedFrom == Int64(kept))
        #expect(server.requests.count == 2)
        #expect(server.requests.last?.headers["range"] == "bytes=\(kept)-")
        #expect(!FileIO.exists(download.partialPath))
    }

    @Test func serverIgnoringTheRangeIsReadFromTheStart() throws {
        let server = LoopbackHTTPServer(body: Self.body, mode: .ignoreRange)
        let folder = TemporaryFolder()
        let destination = folder.path + "/weights.h5"
        // Kept bytes that are not even the file's own: the 200 answer must replace them.
        folder.write("weights.h5.part", Array(repeating: 7, count: 5_000))
        let download = FileDownload(url: server.url, destination: destination, expectedDigest: Self.digest(.sha256, Self.body))
        let result = try download.run()
        #expect(try FileIO.read(destination) == Self.body)
        #expect(result.resumedFrom == 0)
        #expect(server.requests.map { $0.headers["range"] } == ["bytes=5000-"])
    }

    @Test func partialFileLongerThanTheFileIsFetchedAgain() throws {
        let server = LoopbackHTTPServer(body: Self.body)
        let folder = TemporaryFolder()
        let destination = folder.path + "/weights.h5"
        folder.write("weights.h5.part", Self.body + [1, 2, 3])
        let result = try FileDownload(url: server.url, destination: destination, expectedDigest: nil).run()
        #expect(try FileIO.read(destination) == Self.body)
        #expect(result.digest == nil)
        // 416 for the range, then the whole file.
        #expect(server.requests.map { $0.headers["range"] } == ["bytes=\(Self.body.count + 3)-", nil])
    }

    @Test func resumedFileWithForeignBytesIsFetchedAgainWhole() throws {
        let server = LoopbackHTTPServer(body: Self.body)
        let folder = TemporaryFolder()
        let destination = folder.path + "/weights.h5"
        // A .part of some other file: the resumed whole fails its digest, so one fresh try follows.
        folder.write("weights.h5.part", Array(repeating: 9, count: 1_000))
        let result = try FileDownload(url: server.url, destination: destination, expectedDigest: Self.digest(.md5, Self.body)).run()
        #expect(try FileIO.read(destination) == Self.body)
        #expect(result.resumedFrom == 0)
        #expect(server.requests.map { $0.headers["range"] } == ["bytes=1000-", nil])
    }

    @Test func digestMismatchDeletesTheDownloadAndNamesBothDigests() throws {
        let server = LoopbackHTTPServer(body: Self.body, mode: .wrongBytes)
        let folder = TemporaryFolder()
        let destination = folder.path + "/weights.h5"
        let expected = Self.digest(.md5, Self.body)
        let download = FileDownload(url: server.url, destination: destination, expectedDigest: expected)
        let error = try #require(throws: DownloadError.self) { try download.run() }
        let wrong = Self.digest(.md5, Self.body.map { $0 ^ 0x5A }).hex
        #expect(error == .digestMismatch(url: server.url.absoluteString, algorithm: .md5, expected: expected.hex, actual: wrong))
        #expect(error.description.contains(server.url.absoluteString))
        #expect(error.description.contains(expected.hex) && error.description.contains(wrong))
        #expect(!FileIO.exists(destination))
        #expect(!FileIO.exists(download.partialPath))
    }

    @Test func httpErrorNamesTheAddressAndStatus() throws {
        let server = LoopbackHTTPServer(body: Self.body, mode: .notFound)
        let folder = TemporaryFolder()
        let download = FileDownload(url: server.url, destination: folder.path + "/weights.h5", expectedDigest: nil)
        let error = try #require(throws: DownloadError.self) { try download.run() }
        #expect(error == .httpStatus(url: server.url.absoluteString, status: 404))
        #expect(error.description.contains(server.url.absoluteString) && error.description.contains("404"))
        #expect(folder.files().isEmpty)
    }

    @Test func nothingCarriesTheFinalNameBeforeTheDigestIsChecked() throws {
        let server = LoopbackHTTPServer(body: Self.body)
        let folder = TemporaryFolder()
        let destination = folder.path + "/weights.h5"
        let early = Mutex<[Int64]>([])
        let download = FileDownload(url: server.url, destination: destination, expectedDigest: Self.digest(.sha256, Self.body))
        try download.run { progress in
            // Runs while bytes arrive, up to and including the last one.
            if FileIO.exists(destination) { early.withLock { $0.append(progress.completed) } }
            #expect(FileIO.exists(download.partialPath))
        }
        #expect(early.withLock { $0 } == [])
        #expect(FileIO.exists(destination))

        // A wrong file never appears at all.
        let bad = LoopbackHTTPServer(body: Self.body, mode: .wrongBytes)
        let other = folder.path + "/other.h5"
        let seen = Mutex(false)
        #expect(throws: DownloadError.self) {
            try FileDownload(url: bad.url, destination: other, expectedDigest: Self.digest(.sha256, Self.body)).run { _ in
                if FileIO.exists(other) { seen.withLock { $0 = true } }
            }
        }
        #expect(!seen.withLock { $0 } && !FileIO.exists(other))
    }

    @Test func closedPortIsReportedAsUnreachable() throws {
        let folder = TemporaryFolder()
        let url = URL(string: "http://127.0.0.1:\(LoopbackHTTPServer.closedPort())/weights.h5")!
        let error = try #require(throws: DownloadError.self) {
            try FileDownload(url: url, destination: folder.path + "/weights.h5", expectedDigest: nil).run()
        }
        #expect(error.isUnreachable, "\(error)")
        #expect(error.description.contains(url.absoluteString))
        #expect(folder.files().isEmpty)
    }

    @Test func silentServerTimesOut() throws {
        let server = LoopbackHTTPServer(body: Self.body, mode: .stallAfter(1_000))
        let folder = TemporaryFolder()
        var settings = DownloadSettings()
        settings.idleTimeout = 1
        let download = FileDownload(url: server.url, destination: folder.path + "/weights.h5", expectedDigest: nil, settings: settings)
        let started = Date()
        let error = try #require(throws: DownloadError.self) { try download.run() }
        guard case .interrupted(_, .timedOut, _) = error else {
            Issue.record("expected a timeout, got \(error)")
            return
        }
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func slowButSteadyServerIsNotTimedOut() throws {
        // 1.5 s in all, never 1 s without a byte: the timeout is for silence, not for the whole.
        let server = LoopbackHTTPServer(body: Self.body, mode: .trickle(bytes: 30_000, milliseconds: 150))
        let folder = TemporaryFolder()
        var settings = DownloadSettings()
        settings.idleTimeout = 1
        let destination = folder.path + "/weights.h5"
        try FileDownload(url: server.url, destination: destination, expectedDigest: Self.digest(.md5, Self.body), settings: settings).run()
        #expect(try FileIO.read(destination) == Self.body)
    }

    @Test func downloadOverTheTotalTimeIsStopped() throws {
        let server = LoopbackHTTPServer(body: Self.body, mode: .trickle(bytes: 10_000, milliseconds: 100))
        let folder = TemporaryFolder()
        var settings = DownloadSettings()
        settings.totalTimeout = 1
        let download = FileDownload(url: server.url, destination: folder.path + "/weights.h5", expectedDigest: nil, settings: settings)
        let error = try #require(throws: DownloadError.self) { try download.run() }
        guard case .interrupted(_, .timedOut, let reason) = error else {
            Issue.record("expected a timeout, got \(error)")
            return
        }
        #expect(reason.contains("longer than 1 s"))
        // What arrived is kept for a resume.
        #expect((Self.size(download.partialPath) ?? 0) > 0)
    }

    @Test func fileOverTheSizeLimitIsRefused() throws {
        let server = LoopbackHTTPServer(body: Self.body)
        let folder = TemporaryFolder()
        var settings = DownloadSettings()
        settings.maxBytes = 1_000
        let download = FileDownload(url: server.url, destination: folder.path + "/weights.h5", expectedDigest: nil, settings: settings)
        let error = try #require(throws: DownloadError.self) { try download.run() }
        guard case .badResponse(_, let reason) = error else {
            Issue.record("expected a refusal, got \(error)")
            return
        }
        #expect(reason.contains("limit"))
        #expect(!FileIO.exists(folder.path + "/weights.h5"))
    }

    @Test func partialFileLockedByAnotherDownloadIsBusy() throws {
        let server = LoopbackHTTPServer(body: Self.body)
        let folder = TemporaryFolder()
        let download = FileDownload(url: server.url, destination: folder.path + "/weights.h5", expectedDigest: nil)
        let holder = open(download.partialPath, O_RDWR | O_CREAT, 0o644)
        #expect(flock(holder, LOCK_EX) == 0)
        defer { close(holder) }
        let error = try #require(throws: DownloadError.self) { try download.run() }
        #expect(error == .busy(partialFile: download.partialPath))
        #expect(server.requests.isEmpty)
    }

    @Test func onlyHTTPAddressesAreAccepted() throws {
        let folder = TemporaryFolder()
        let url = URL(fileURLWithPath: "/etc/hostname")
        #expect(throws: DownloadError.self) {
            try FileDownload(url: url, destination: folder.path + "/x", expectedDigest: nil).run()
        }
    }
}

@Suite struct ContentRangeTests {
    @Test func parsesTheForms() {
        #expect(ContentRange("bytes 100-999/1000") == ContentRange(first: 100, last: 999, total: 1000))
        #expect(ContentRange("bytes 0-0/*") == ContentRange(first: 0, last: 0, total: nil))
    }

    @Test(arguments: ["", "bytes", "bytes 5-4/10", "bytes 0-10/10", "bytes -1-5/10", "bytes 1-5", "items 1-5/10",
                      "bytes 1-5/10/2", "bytes 1 -5/10", "bytes 0-99999999999999999999/*", "bytes +1-5/10", "bytes ٣-5/10"])
    func refusesMalformedHeaders(_ header: String) {
        #expect(ContentRange(header) == nil)
    }
}

@Suite struct FileDigestTests {
    @Test func digestsMatchKnownVectors() throws {
        let folder = TemporaryFolder()
        let path = folder.write("abc.txt", Array("abc".utf8))
        #expect(try FileDigest.compute(.md5, ofFile: path) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(try FileDigest.compute(.sha256, ofFile: path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(throws: FileError.self) { try FileDigest.compute(.md5, ofFile: folder.path) }
    }
}
