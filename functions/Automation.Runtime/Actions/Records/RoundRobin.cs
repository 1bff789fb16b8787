using System.Globalization;
using Automation.Runtime.Storage;
using Automation.Runtime.Teams;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Actions.Records;

/// <summary>
/// <c>Automation:Assignment</c>. Shape:
/// <code>
/// "Automation": { "Assignment": {
///   "RoundRobinStripes": 4     // turn counters per team; 1 gives strict turns through one row
/// } }
/// </code>
/// </summary>
public sealed class AssignmentOptions
{
    public const string Section = "Automation:Assignment";

    public int RoundRobinStripes { get; set; } = 4;
}

/// <summary>Who got the turn, and from which stripe's counter.</summary>
public sealed record RoundRobinTurn(TeamMember Member, int Index, int Stripe, long Turn);

/// <summary>
/// Round-robin over a team without a hot counter row (invariant 8). A team has <c>K</c> turn counters (stripes,
/// <see cref="AssignmentOptions.RoundRobinStripes"/>), rows <c>rr|{team}</c> / <c>{stripe}</c> in the records table.
/// A change takes the stripe its id hashes to, so concurrent assignments spread over <c>K</c> rows; it reads the
/// stripe's turn <c>n</c>, writes <c>n + 1</c> with the ETag (a conflict reads again), and gets member
/// <c>(n + ⌊s·N/K⌋) mod N</c> of the <c>N</c> members.
/// <para>Fairness: each stripe on its own is strict round-robin (any <c>N</c> consecutive turns of a stripe reach
/// every member once), and the stripes start at members spread over the team. So at any moment the members' counts
/// differ by at most <c>K</c>, however many records were assigned, and by at most 1 with one stripe. Turns within a
/// stripe are in order; across stripes they interleave.</para>
/// <para>A repeat of the same change right after it took a turn (a crash before the checkpoint) finds its change id on
/// the row and gets the same member instead of another turn.</para>
/// </summary>
public sealed class RoundRobin(AutomationStorage storage, IOptions<AssignmentOptions> options)
{
    private const int MaxConflicts = 32;

    public int Stripes => Math.Clamp(options.Value.RoundRobinStripes, 1, 64);

    public async Task<RoundRobinTurn> NextAsync(string team, IReadOnlyList<TeamMember> members, string changeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
        {
            throw new ArgumentException("A team with no members takes no turns.", nameof(members));
        }

        var stripes = Stripes;
        var stripe = (int)(uint.Parse(Keys.ShortHash(changeId)[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture) % (uint)stripes);
        var partition = Keys.RoundRobinPartition(team);
        var row = stripe.ToString("D2", CultureInfo.InvariantCulture);
        for (var conflict = 0; conflict < MaxConflicts; conflict++)
        {
            var read = await storage.Records.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
            var turn = 0L;
            if (read.HasValue)
            {
                var stored = read.Value!;
                turn = stored.GetInt64("Turn") ?? 0;
                if (stored.GetString("LastChange") == changeId
                    && members.Select((m, i) => (m, i)).FirstOrDefault(x => x.m.Id == stored.GetString("LastMember")) is { m: not null } same)
                {
                    return new RoundRobinTurn(same.m, same.i, stripe, turn - 1);
                }
            }

            var index = Index(turn, stripe, stripes, members.Count);
            var entity = new TableEntity(partition, row)
            {
                ["Kind"] = "roundRobin",
                ["Team"] = team,
                ["Turn"] = turn + 1,
                ["LastChange"] = changeId,
                ["LastMember"] = members[index].Id,
            };
            try
            {
                if (read.HasValue)
                {
                    await storage.Records.UpdateEntityAsync(entity, read.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await storage.Records.AddEntityAsync(entity, cancellationToken);
                }

                return new RoundRobinTurn(members[index], index, stripe, turn);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another assignment took this stripe's turn first: read the next one.
            }
        }

        throw new RecordActionException($"Team '{team}': {MaxConflicts} assignments in a row took the same turn first; try again.", retryable: true);
    }

    /// <summary>Stripe <paramref name="stripe"/> of <paramref name="stripes"/> starts at member ⌊s·N/K⌋ and moves one member per turn.</summary>
    public static int Index(long turn, int stripe, int stripes, int members) =>
        (int)((turn + (long)stripe * members / stripes) % members);
}
