import Commerce
import Testing

/// `address1` split into street and house number, as ERP debtor records keep them.
@Suite struct AddressStreetTests {
    @Test(arguments: [
        ("Hauptstraße 5a", "Hauptstraße", "5a"),
        ("Am Markt 3 - 5", "Am Markt", "3 - 5"),
        ("Am Markt 3-5", "Am Markt", "3-5"),
        ("Lindenweg 12 b", "Lindenweg", "12 b"),
        ("Bahnhofstr. 7/1", "Bahnhofstr.", "7/1"),
        ("12 Rue de Rivoli", "Rue de Rivoli", "12"),
        ("Straße des 17. Juni 100", "Straße des 17. Juni", "100"),
        ("Postfach", "Postfach", ""),
        ("", "", ""),
    ])
    func splitsStreetAndHouseNumber(address: String, street: String, number: String) {
        let parts = Address(address1: address).streetParts
        #expect(parts.street == street)
        #expect(parts.number == number)
    }
}
