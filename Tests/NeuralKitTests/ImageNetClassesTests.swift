import Testing
@testable import NeuralKit

@Suite struct ImageNetClassesTests {
    @Test func holdsKerasThousandClassesInOrder() {
        let classes = ImageNetClasses.all
        #expect(classes.count == 1000)
        #expect(Set(classes.map(\.wnid)).count == 1000)
        #expect(classes[0] == ImageNetClass(wnid: "n01440764", name: "tench"))
        #expect(classes[1] == ImageNetClass(wnid: "n01443537", name: "goldfish"))
        #expect(classes[281] == ImageNetClass(wnid: "n02123045", name: "tabby"))
        #expect(classes[999] == ImageNetClass(wnid: "n15075141", name: "toilet_tissue"))
        // WordNet ids sort in class order: Keras' index is the sorted wnid list.
        #expect(classes.map(\.wnid) == classes.map(\.wnid).sorted())
    }
}
