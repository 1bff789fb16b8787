namespace Automation.Runtime.Crm.HubSpot;

/// <summary>
/// HubSpot's own association types (<c>associationCategory: HUBSPOT_DEFINED</c>) between the standard objects, as its
/// associations documentation lists them: one id per direction (a task to a deal is 216; a deal to a contact is 3).
/// </summary>
public static class HubSpotAssociations
{
    private static readonly Dictionary<(string From, string To), int> TypeIds = new()
    {
        [("task", "contact")] = 204, [("task", "company")] = 192, [("task", "deal")] = 216, [("task", "ticket")] = 230,
        [("note", "contact")] = 202, [("note", "company")] = 190, [("note", "deal")] = 214, [("note", "ticket")] = 228,
        [("deal", "contact")] = 3, [("deal", "company")] = 341, [("deal", "ticket")] = 27,
        [("ticket", "contact")] = 16, [("ticket", "company")] = 339, [("ticket", "deal")] = 28,
        [("contact", "company")] = 279, [("contact", "deal")] = 4, [("contact", "ticket")] = 15,
        [("company", "contact")] = 280, [("company", "deal")] = 342, [("company", "ticket")] = 340,
    };

    /// <summary>The association type from <paramref name="from"/> to <paramref name="to"/> (singular type names); null when HubSpot defines none.</summary>
    public static int? TypeId(string from, string to) =>
        TypeIds.TryGetValue((from.ToLowerInvariant(), to.ToLowerInvariant()), out var id) ? id : null;
}
