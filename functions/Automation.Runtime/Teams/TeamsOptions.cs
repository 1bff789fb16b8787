using Microsoft.Extensions.Configuration;

namespace Automation.Runtime.Teams;

/// <summary>
/// <c>Automation:Teams</c>: named teams of users, for round-robin assignment (<c>assign_owner</c>) and team
/// notifications (<c>notify_team</c>). Team names match without regard to case. Shape:
/// <code>
/// "Automation": { "Teams": {
///   "sales-emea": { "Members": [
///     { "Id": "u-ann", "Email": "ann@example.com", "Name": "Ann Lee", "Phone": "+442071234567" },
///     { "Id": "u-bob", "Email": "bob@example.com", "Name": "Bob Roy", "Phone": "+442071234568" } ] }
/// } }
/// </code>
/// As environment variables: <c>Automation__Teams__sales-emea__Members__0__Id</c>, <c>...__Email</c>, ...
/// </summary>
public sealed class TeamsOptions
{
    public const string Section = "Automation:Teams";

    public Dictionary<string, TeamOptions> Teams { get; } = new(StringComparer.OrdinalIgnoreCase);

    public TeamOptions? Find(string? name) =>
        name is not null && Teams.TryGetValue(name.Trim(), out var team) ? team : null;

    /// <summary>
    /// Replaces the teams with those of <paramref name="section"/> (the <c>Automation:Teams</c> section). Replacing
    /// rather than adding keeps it correct however many times it is registered.
    /// </summary>
    public void Load(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        Teams.Clear();
        foreach (var child in section.GetChildren())
        {
            var team = new TeamOptions();
            foreach (var entry in child.GetSection("Members").GetChildren())
            {
                team.Members.Add(new TeamMember
                {
                    Id = entry["Id"],
                    Email = entry["Email"],
                    Name = entry["Name"],
                    Phone = entry["Phone"],
                });
            }

            Teams[child.Key] = team;
        }
    }
}

/// <summary>A team: its members in the order configured (the order round-robin takes turns in).</summary>
public sealed class TeamOptions
{
    public List<TeamMember> Members { get; } = [];
}

/// <summary>A user in a team: <see cref="Id"/> is what owner fields hold; email, name and phone reach them.</summary>
public sealed class TeamMember
{
    public string? Id { get; set; }

    public string? Email { get; set; }

    public string? Name { get; set; }

    public string? Phone { get; set; }
}
