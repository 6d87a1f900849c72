import DatasetKit
import Foundation
import Testing

@Suite struct SampleCommandTests {
    static let small = ["--classes", "3", "--per-class", "4", "--max-side", "16", "-q"]

    @Test(arguments: [("food101", "food-101.tar.gz"), ("recipes5k", "Recipes5k.zip"),
                      ("products", "products"), ("multilabel", "multilabel"), ("folders", "")])
    func writesEachLayoutAndReportsIt(_ layout: String, _ output: String) throws {
        let s = Scratch()
        let r = try CLI.run(["sample", layout, "--to", s.path + "/out", "--json"] + Self.small)
        #expect(r.status == 0, "\(r.stderr)")
        let report = try JSONDecoder().decode(SampleReport.self, from: Data(r.stdout.utf8))
        #expect(report.output == s.path + "/out" + (output.isEmpty ? "" : "/" + output))
        #expect(report.images == 12 && report.bytes > 0)
        #expect(r.stderr.contains("wrote \(report.output): 12 images"))
        #expect(FileManager.default.fileExists(atPath: report.output))
    }

    @Test func foldersInTrainingAndTestFolders() throws {
        let s = Scratch()
        let r = try CLI.run(["sample", "folders", "--to", s.path, "--splits", "Training,Test"] + Self.small)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(s.files("Training").count == 9 && s.files("Test").count == 3)
        #expect(s.files("Test").first == "apple_pie/apple_pie_003.jpg")
    }

    @Test func food101ArchiveListsOnlyFood101Entries() throws {
        let s = Scratch()
        #expect(try CLI.run(["sample", "food101", "--to", s.path] + Self.small).status == 0)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-tzf", s.path + "/food-101.tar.gz"]
        let pipe = Pipe()
        tar.standardOutput = pipe
        try tar.run()
        let listing = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tar.waitUntilExit()
        let names = listing.split(separator: "\n")
        #expect(tar.terminationStatus == 0 && names.count == 4 + 3 + 12 + 6)
        #expect(names.allSatisfy { $0.hasPrefix("food-101/") })
        #expect(names.contains("food-101/meta/train.json") && names.contains("food-101/images/baklava/"))
    }

    @Test func sameSeedSameBytesWhateverTheJobs() throws {
        let s = Scratch()
        for (name, jobs) in [("one", "1"), ("two", "2")] {
            for layout in ["food101", "recipes5k", "products"] {
                let r = try CLI.run(["sample", layout, "--to", s.path + "/" + name, "--jobs", jobs, "--seed", "8"] + Self.small)
                #expect(r.status == 0, "\(r.stderr)")
            }
        }
        #expect(s.files("one").count == 2 + 1 + 12)
        #expect(s.files("one") == s.files("two"))
        for f in s.files("one") { #expect(s.read("one/" + f) == s.read("two/" + f), "\(f)") }
    }

    @Test func rejectsBadArgumentsNamingTheFlag() throws {
        let s = Scratch()
        let cases: [([String], String)] = [
            (["food101", "--classes", "102"], "--classes must be 1-101 for food101"),
            (["food101", "--per-class", "1"], "--per-class must be 2-1000 for food101"),
            (["recipes5k", "--per-class", "2"], "--per-class must be 3-"),
            (["products", "--classes", "26"], "--classes must be 1-25 for products"),
            (["multilabel", "--classes", "11"], "--classes must be 1-10 for multilabel"),
            (["folders", "--max-side", "4"], "--max-side must be 8-4096"),
            (["food101", "--quality", "0"], "--quality must be 1-100"),
            (["products", "--quality", "90"], "--quality applies to JPEGs"),
            (["food101", "--splits", "Training,Test"], "--splits applies to the folders layout"),
            (["folders", "--splits", "Training,,Test"], "'Training,,Test' is invalid for '--splits <names>'"),
            (["folders", "--splits", "a,a"], "invalid for '--splits <names>'"),
            (["folders", "--splits", "a,b,c", "--per-class", "2"], "--per-class must be at least 3"),
            (["imagenet"], "layout"),
        ]
        for (arguments, message) in cases {
            let r = try CLI.run(["sample"] + arguments + ["--to", s.path + "/out"])
            #expect(r.status == 64, "\(arguments)")
            #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
        #expect(s.files("").isEmpty)
    }

    @Test func failsCleanlyWhenTheOutputCannotBeWritten() throws {
        let s = Scratch()
        s.write("blocked", [1])
        let r = try CLI.run(["sample", "food101", "--to", s.path + "/blocked"] + Self.small)
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: ") && r.stderr.contains("blocked"))
    }
}
