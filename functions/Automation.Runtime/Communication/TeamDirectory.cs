using Microsoft.Extensions.Configuration;
using MimeKit;

namespace Automation.Runtime.Communication;

/// <summary>
/// Teams from configuration, <c>Automation:Teams:{name}:Members:{n}</c>: each member an email address
/// (<c>Automation__Teams__sales__Members__0=ann@example.com</c>) or an object with <c>Email</c> (and <c>Id</c>, for
/// actions that pick users). Team names are case-insensitive. Read at each use, so reloaded configuration applies.
/// </summary>
public sealed class TeamDirectory(IConfiguration configuration)
{
    public const string Section = "Automation:Teams";

    /// <summary>The members' email addresses; null when the team is not configured.</summary>
    public IReadOnlyList<string>? EmailsOf(string team)
    {
        var section = configuration.GetSection(Section).GetChildren()
            .FirstOrDefault(t => string.Equals(t.Key, team.Trim(), StringComparison.OrdinalIgnoreCase));
        if (section is null)
        {
            return null;
        }

        var emails = new List<string>();
        foreach (var member in section.GetSection("Members").GetChildren())
        {
            if (Mailbox(member.Value ?? member["Email"]) is { } address)
            {
                emails.Add(address);
            }
        }

        return emails;
    }

    /// <summary>The email address of the member whose <c>Id</c> is <paramref name="userId"/> in any team; null when none has one.</summary>
    public string? EmailOfUser(string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        return configuration.GetSection(Section).GetChildren()
            .SelectMany(team => team.GetSection("Members").GetChildren())
            .Where(member => string.Equals(member["Id"]?.Trim(), userId.Trim(), StringComparison.Ordinal))
            .Select(member => Mailbox(member["Email"]))
            .FirstOrDefault(address => address is not null);
    }

    public IReadOnlyList<string> Names => configuration.GetSection(Section).GetChildren().Select(c => c.Key).ToArray();

    private static string? Mailbox(string? address) =>
        !string.IsNullOrWhiteSpace(address) && MailboxAddress.TryParse(address, out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal)
            ? mailbox.ToString()
            : null;
}
