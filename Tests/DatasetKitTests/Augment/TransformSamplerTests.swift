import Foundation
import Testing
@testable import DatasetKit

@Suite struct TransformSamplerTests {
    static func samples(_ parameters: AugmentParameters, count: Int = 1000, size: PixelSize = PixelSize(width: 200, height: 100)) -> [TransformParameters] {
        let sampler = TransformSampler(parameters)
        return (0..<count).map { i in
            var generator = SeededGenerator(seed: 3, item: "class/img.jpg", index: i)
            return sampler.sample(using: &generator, imageSize: size)
        }
    }

    @Test func tutorialRangesAreKeptWithBothSigns() {
        let all = Self.samples(.tutorial)
        func check(_ values: [Double], _ range: ClosedRange<Double>, _ name: String) {
            #expect(values.allSatisfy { range.contains($0) }, "\(name) outside \(range)")
            #expect(values.contains { $0 < range.lowerBound + (range.upperBound - range.lowerBound) * 0.1 }, "\(name) never low")
            #expect(values.contains { $0 > range.upperBound - (range.upperBound - range.lowerBound) * 0.1 }, "\(name) never high")
        }
        check(all.map(\.theta), -40...40, "theta")
        check(all.map(\.tx), -40...40, "tx")        // 0.2 of the width, 200
        check(all.map(\.ty), -20...20, "ty")        // 0.2 of the height, 100
        check(all.map(\.shear), -0.2...0.2, "shear")
        check(all.map(\.zx), 0.8...1.2, "zx")
        check(all.map(\.zy), 0.8...1.2, "zy")
        #expect(all.filter { $0.zx != $0.zy }.count > 990)              // drawn independently
        let flips = all.filter(\.flipHorizontal).count
        #expect((400...600).contains(flips))
        #expect(!all.contains { $0.flipVertical })
        #expect(all.allSatisfy { $0.brightness == nil && $0.channelShiftIntensity == nil && $0.fillMode == .nearest })
        let mean = all.map(\.theta).reduce(0, +) / Double(all.count)
        #expect(abs(mean) < 3)
    }

    @Test func widthShiftIsHorizontalAndHeightShiftVertical() {
        let onlyWidth = Self.samples(AugmentParameters(widthShiftRange: .uniform(0.3)), count: 100)
        #expect(onlyWidth.allSatisfy { $0.ty == 0 } && onlyWidth.contains { $0.tx != 0 })
        let onlyHeight = Self.samples(AugmentParameters(heightShiftRange: .uniform(0.3)), count: 100)
        #expect(onlyHeight.allSatisfy { $0.tx == 0 } && onlyHeight.contains { $0.ty != 0 })
    }

    @Test func shiftFormsFollowKeras() {
        // A float from 1 is pixels; a Keras int is whole pixels in (-r, r); a list picks with a sign.
        let pixels = Self.samples(AugmentParameters(widthShiftRange: .uniform(15)), count: 300).map(\.tx)
        #expect(pixels.allSatisfy { abs($0) <= 15 } && pixels.contains { $0 != $0.rounded() })
        let integers = Self.samples(AugmentParameters(widthShiftRange: .integers(3)), count: 300).map(\.tx)
        #expect(Set(integers) == [-2, -1, 0, 1, 2])
        let fractions = Self.samples(AugmentParameters(widthShiftRange: .choices([0.1, 0.25])), count: 300).map(\.tx)
        #expect(Set(fractions) == [-20, -50, 20, 50])
        let listed = Self.samples(AugmentParameters(heightShiftRange: .choices([-1, 0, 1])), count: 300).map(\.ty)
        #expect(Set(listed) == [-1, 0, 1])
    }

    @Test func zoomPairAndPhotometricRanges() {
        let all = Self.samples(AugmentParameters(zoomRange: .between(1.5, 2), brightnessRange: ValueRange(lower: 0.5, upper: 0.7),
                                                  channelShiftRange: 20), count: 300)
        #expect(all.allSatisfy { (1.5...2).contains($0.zx) && (1.5...2).contains($0.zy) })
        #expect(all.allSatisfy { (0.5...0.7).contains($0.brightness!) })
        let shifts = all.map { $0.channelShiftIntensity! }
        #expect(shifts.allSatisfy { abs($0) <= 20 } && shifts.contains { $0 < -10 } && shifts.contains { $0 > 10 })
    }

    @Test func sameSeedItemAndIndexGiveTheSameParameters() {
        let sampler = TransformSampler(.tutorial)
        let size = PixelSize(width: 64, height: 48)
        var a = SeededGenerator(seed: 9, item: "cat/1.jpg", index: 2), b = SeededGenerator(seed: 9, item: "cat/1.jpg", index: 2)
        var c = SeededGenerator(seed: 9, item: "cat/1.jpg", index: 3)
        let first = sampler.sample(using: &a, imageSize: size)
        #expect(first == sampler.sample(using: &b, imageSize: size))
        #expect(first != sampler.sample(using: &c, imageSize: size))
    }

    @Test func enablingOneOptionKeepsTheOthersValues() {
        let base = Self.samples(.tutorial, count: 50)
        var more = AugmentParameters.tutorial
        more.verticalFlip = true
        more.brightnessRange = ValueRange(lower: 0.8, upper: 1.2)
        let withMore = Self.samples(more, count: 50)
        #expect(zip(base, withMore).allSatisfy { $0.theta == $1.theta && $0.tx == $1.tx && $0.zx == $1.zx && $0.flipHorizontal == $1.flipHorizontal })
    }

    @Test func parametersRoundTripThroughJSONExactly() throws {
        let all = Self.samples(AugmentParameters(rotationRange: 33.3, widthShiftRange: .uniform(0.17), heightShiftRange: .uniform(7.5),
                                                  shearRange: 12, zoomRange: .between(0.71, 1.33), horizontalFlip: true,
                                                  verticalFlip: true, brightnessRange: ValueRange(lower: 0.3, upper: 1.9),
                                                  channelShiftRange: 40, fillMode: .reflect, cval: 12), count: 200)
        let data = try JSONEncoder().encode(all)
        #expect(try JSONDecoder().decode([TransformParameters].self, from: data) == all)
        let text = String(decoding: try JSONEncoder().encode(all[0]), as: UTF8.self)
        for key in ["\"theta\"", "\"tx\"", "\"zx\"", "\"flip_horizontal\"", "\"channel_shift_intensity\"", "\"fill_mode\":\"reflect\""] {
            #expect(text.contains(key), "\(key) in \(text)")
        }
    }

    @Test func badRangesNameTheFlag() {
        let cases: [(AugmentParameters, String)] = [
            (AugmentParameters(rotationRange: -5), "--rotation-range"),
            (AugmentParameters(widthShiftRange: .uniform(-0.2)), "--width-shift-range"),
            (AugmentParameters(heightShiftRange: .integers(-3)), "--height-shift-range"),
            (AugmentParameters(shearRange: 90), "--shear-range"),
            (AugmentParameters(zoomRange: .symmetric(1.2)), "--zoom-range"),
            (AugmentParameters(zoomRange: .between(1.2, 0.8)), "--zoom-range"),
            (AugmentParameters(zoomRange: .between(0, 1)), "--zoom-range"),
            (AugmentParameters(brightnessRange: ValueRange(lower: 1.2, upper: 0.8)), "--brightness-range"),
            (AugmentParameters(brightnessRange: ValueRange(lower: -0.1, upper: 0.8)), "--brightness-range"),
            (AugmentParameters(channelShiftRange: -1), "--channel-shift-range"),
            (AugmentParameters(cval: 300), "--cval"),
        ]
        for (parameters, flag) in cases {
            #expect(throws: AugmentParameterError.self) { try parameters.validate() }
            do { try parameters.validate() } catch { #expect(error.flag == flag && error.description.hasPrefix(flag)) }
        }
        #expect(throws: Never.self) { try AugmentParameters.tutorial.validate() }
    }
}

@Suite struct PhotometricAdjustTests {
    @Test func brightnessBlendsWithBlackAsPIL() {
        let brighter = PhotometricAdjust(brightness: 1.5)
        #expect([0, 100, 170, 171, 200].map { brighter.map($0, lowest: 0, highest: 255) } == [0, 150, 255, 255, 255])
        let darker = PhotometricAdjust(brightness: 0.5)
        #expect([1, 101, 255].map { darker.map($0, lowest: 0, highest: 255) } == [0, 50, 127])   // truncated
        // Single precision, as PIL: 77 · 1.1f = 84.7 → 84.
        #expect(PhotometricAdjust(brightness: 1.1).map(77, lowest: 0, highest: 255) == 84)
        #expect(PhotometricAdjust(brightness: 0).map(255, lowest: 0, highest: 255) == 0)
    }

    @Test func channelShiftIsClippedToTheImagesOwnRange() {
        var image = RGBImage(width: 2, height: 1, pixels: [20, 100, 200, 50, 60, 70])
        PhotometricAdjust(channelShift: 30.4).apply(to: &image)
        #expect(image.pixels == [50, 130, 200, 80, 90, 100])
        var down = RGBImage(width: 2, height: 1, pixels: [20, 100, 200, 50, 60, 70])
        PhotometricAdjust(channelShift: -30.6, brightness: 2).apply(to: &down)
        #expect(down.pixels == [40, 138, 255, 40, 58, 78])      // -31, clipped at 20, then doubled
    }

    @Test func identityLeavesTheImage() {
        var image = TestImages.gradient(width: 5, height: 5)
        let before = image
        PhotometricAdjust(channelShift: 0, brightness: 1).apply(to: &image)
        #expect(image == before && PhotometricAdjust().isIdentity)
    }
}
