import Testing
@testable import Specimens

@Suite("Run IDs")
struct RunIDTests {
    @Test("valid IDs parse and sort in creation order")
    func validIDs() throws {
        let a = try RunID("20251222_194653")
        let b = try RunID("20251222_194653_01")
        let c = try RunID("20251222_194654")
        #expect(a < b && b < c)
        #expect(b.collisionIndex == 1)
        #expect(a.seconds == 1_766_432_813)
        #expect([c, a, b].sorted() == [a, b, c])
    }

    @Test("hostile or malformed IDs are rejected", arguments: [
        "", "..", "../20251222_194653", "20251222_194653/..", "20251222-194653", "20251222_19465",
        "20251222_194653_1", "20251222_194653_001", "2025122a_194653", ".20251222_194653", "20251222_194653\n", "20251222_194653 ",
    ])
    func rejected(_ text: String) {
        #expect(throws: SpecimenError.self) { try RunID(text) }
    }

    @Test("IDs are made from the UTC second and the collision index")
    func generated() {
        #expect(RunID(seconds: 1_766_432_813, index: 0).rawValue == "20251222_194653")
        #expect(RunID(seconds: 1_766_432_813, index: 7).rawValue == "20251222_194653_07")
    }

    @Test("specimen names allow letters, digits, '.', '_' and '-' only")
    func specimenNames() {
        #expect(RunCreator.isValidSpecimenName("mnist-v2_final.3"))
        #expect(!RunCreator.isValidSpecimenName(".hidden"))
        #expect(!RunCreator.isValidSpecimenName("a b"))
        #expect(!RunCreator.isValidSpecimenName(""))
        #expect(!RunCreator.isValidSpecimenName("x/y"))
    }
}
