using System.Collections.Frozen;
using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Automation.Engine.Model;

namespace Automation.Engine.Tests;

/// <summary>
/// The engine is pure (docs/architecture.md, "Two hosts, one code"): no I/O, no Azure SDK, no HTTP, no clock, no ambient randomness or environment.
/// Time, ids and records come in as arguments, which is what keeps it testable in milliseconds and its
/// decisions repeatable. These tests read the compiled assembly, so a forbidden call fails the build's tests
/// however it got in; the failure lists each offender and the methods that use it.
/// </summary>
public class EngineIsPureTests
{
    private static readonly Assembly Engine = typeof(Workflow).Assembly;

    /// <summary>What the engine may reference, each for a reason; add to it only with one.</summary>
    private static readonly FrozenDictionary<string, string> AllowedAssemblies = new Dictionary<string, string>
    {
        ["System.Runtime"] = "core types",
        ["System.Collections"] = "lists, dictionaries, sets",
        ["System.Collections.Immutable"] = "frozen lookups (FrozenDictionary lives here)",
        ["System.Collections.Concurrent"] = "caches of parsed templates",
        ["System.Linq"] = "queries over in-memory data",
        ["System.Memory"] = "spans",
        ["System.ObjectModel"] = "read-only collection wrappers",
        ["System.Runtime.Numerics"] = "big numbers in comparisons",
        ["System.Runtime.InteropServices"] = "CollectionsMarshal and friends: in-memory only",
        ["System.Text.Json"] = "the JSON model",
        ["System.Text.Encodings.Web"] = "the JSON encoder in EngineJson",
        ["System.Text.RegularExpressions"] = "ids, paths and formats",
        ["System.Security.Cryptography"] = "HMAC-SHA256 of intake and webhook signatures: pure computation over bytes",
        ["Fluid"] = "Liquid templates",
        ["Parlot"] = "Fluid's parser",
        ["Cronos"] = "cron schedules",
        ["TimeZoneConverter"] = "IANA and Windows time zone ids",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Named explicitly so that the failure says why, not just "not on the allow-list".</summary>
    private static readonly (string Prefix, string Reason)[] ForbiddenAssemblies =
    [
        ("System.Net", "network access belongs to the runtime's action handlers"),
        ("System.IO.FileSystem", "file access belongs to the host"),
        ("Azure.", "storage belongs to the store"),
        ("Microsoft.Extensions.", "hosting, DI, logging and configuration belong to the host"),
        ("System.Diagnostics.Process", "processes belong nowhere near the engine"),
        ("System.Console", "output belongs to the host's logging"),
    ];

    [Fact]
    public void The_engine_references_only_allowed_assemblies()
    {
        var unexpected = Engine.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => !AllowedAssemblies.ContainsKey(name))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(
            unexpected.Count == 0,
            $"Automation.Engine references assemblies that are not on the allow-list: {string.Join(", ", unexpected)}. "
            + "If one is pure (no I/O, no clock), add it to AllowedAssemblies with the reason; otherwise move the code out of the engine.");
    }

    [Fact]
    public void The_engine_references_no_network_file_system_azure_or_hosting_assembly()
    {
        var offenders = Engine.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .SelectMany(name => ForbiddenAssemblies
                .Where(f => name.StartsWith(f.Prefix, StringComparison.Ordinal))
                .Select(f => $"{name} ({f.Reason})"))
            .ToList();

        Assert.True(offenders.Count == 0, $"Automation.Engine must stay pure but references: {string.Join("; ", offenders)}.");
    }

    [Fact]
    public void The_engine_code_uses_no_clock_file_network_environment_or_randomness()
    {
        var offences = PurityScanner.Scan(Engine.Location);

        Assert.True(
            offences.Count == 0,
            "Automation.Engine must stay pure; it uses:" + Environment.NewLine
            + string.Join(Environment.NewLine, offences.Select(o => "  " + o)));
    }

    [Fact]
    public void The_scanner_finds_each_kind_of_offence_and_the_method_that_commits_it()
    {
        var offences = PurityScanner.Scan(typeof(ImpureSample).Assembly.Location)
            .ToDictionary(o => o.Reference, StringComparer.Ordinal);
        var sample = typeof(ImpureSample).FullName!;

        var expected = new Dictionary<string, string>
        {
            ["System.DateTime::get_UtcNow"] = nameof(ImpureSample.ReadsTheClock),
            ["System.DateTimeOffset::get_Now"] = nameof(ImpureSample.ReadsTheClock),
            ["System.Diagnostics.Stopwatch"] = nameof(ImpureSample.Times),
            ["System.TimeProvider"] = nameof(ImpureSample.HoldsAClock),
            ["System.IO.File"] = nameof(ImpureSample.ReadsAFile),
            ["System.IO.Directory"] = nameof(ImpureSample.ListsADirectory),
            ["System.Net.Http.HttpClient"] = nameof(ImpureSample.CallsTheNetwork),
            ["System.Environment::GetEnvironmentVariable"] = nameof(ImpureSample.ReadsTheEnvironment),
            ["System.Guid::NewGuid"] = nameof(ImpureSample.MakesAnId),
        };
        Assert.All(expected, pair =>
        {
            Assert.True(offences.TryGetValue(pair.Key, out var offence), $"{pair.Key} not found; found: {string.Join(", ", offences.Keys)}");
            Assert.Contains($"{sample}.{pair.Value}", offence.UsedIn);
        });
    }

    [Fact]
    public void The_scanner_does_not_flag_harmless_members_of_the_same_types()
    {
        var offences = PurityScanner.Scan(typeof(ImpureSample).Assembly.Location);
        var pureMethod = $"{typeof(ImpureSample).FullName}.{nameof(ImpureSample.UsesDatesWithoutAClock)}";
        var iterator = $"{typeof(ImpureSample).FullName}+<{nameof(ImpureSample.CountsTo)}>";

        Assert.DoesNotContain(offences, o => o.UsedIn.Contains(pureMethod));
        Assert.DoesNotContain(offences, o => o.UsedIn.Any(m => m.StartsWith(iterator, StringComparison.Ordinal)));
    }

    /// <summary>One offender: what is referenced, why it is not allowed, and where (methods whose IL uses it).</summary>
    public sealed record Offence(string Reference, string Reason, IReadOnlyList<string> UsedIn)
    {
        public override string ToString() =>
            $"{Reference}: {Reason}; " + (UsedIn.Count == 0 ? "referenced in a signature" : "used in " + string.Join(", ", UsedIn));
    }

    /// <summary>Reads an assembly's metadata (type and member references) and method bodies without loading it.</summary>
    public static class PurityScanner
    {
        private static readonly (string Namespace, string Reason)[] ForbiddenNamespaces =
        [
            ("System.Net", "network access belongs to the runtime"),
            ("System.Timers", "timers are clocks"),
            ("Azure", "storage belongs to the store"),
            ("Microsoft.Extensions", "hosting belongs to the host"),
        ];

        private static readonly FrozenDictionary<string, string> ForbiddenTypes = new Dictionary<string, string>
        {
            ["System.IO.File"] = "file access",
            ["System.IO.FileInfo"] = "file access",
            ["System.IO.FileStream"] = "file access",
            ["System.IO.FileSystemInfo"] = "file access",
            ["System.IO.FileSystemWatcher"] = "file access",
            ["System.IO.Directory"] = "file access",
            ["System.IO.DirectoryInfo"] = "file access",
            ["System.IO.DriveInfo"] = "file access",
            ["System.Diagnostics.Stopwatch"] = "a clock: take durations as arguments",
            ["System.Diagnostics.Process"] = "process access",
            ["System.TimeProvider"] = "a clock: only the runner holds one; the engine takes now as an argument",
            ["System.Threading.Timer"] = "a clock",
            ["System.Console"] = "output belongs to the host's logging",
            ["System.Random"] = "randomness makes decisions unrepeatable: take values as arguments",
        }.ToFrozenDictionary(StringComparer.Ordinal);

        private static readonly FrozenDictionary<string, string> ForbiddenMembers = new Dictionary<string, string>
        {
            ["System.DateTime::get_Now"] = "the clock: take now as an argument",
            ["System.DateTime::get_UtcNow"] = "the clock: take now as an argument",
            ["System.DateTime::get_Today"] = "the clock: take now as an argument",
            ["System.DateTimeOffset::get_Now"] = "the clock: take now as an argument",
            ["System.DateTimeOffset::get_UtcNow"] = "the clock: take now as an argument",
            ["System.Guid::NewGuid"] = "randomness: ids come in as arguments",
            ["System.TimeZoneInfo::get_Local"] = "the machine's time zone: use the scope's",
        }.ToFrozenDictionary(StringComparer.Ordinal);

        /// <summary>Types whose members are forbidden except a few harmless ones the compiler itself emits.</summary>
        private static readonly FrozenDictionary<string, (string Reason, string[] Allowed)> ForbiddenMembersExcept =
            new Dictionary<string, (string, string[])>
            {
                // Iterators and async state machines read CurrentManagedThreadId; NewLine is a constant.
                ["System.Environment"] = ("machine state: configuration comes in as arguments", ["get_CurrentManagedThreadId", "get_NewLine"]),
            }.ToFrozenDictionary(StringComparer.Ordinal);

        private static readonly FrozenDictionary<ushort, OperandType> Operands = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToFrozenDictionary(op => (ushort)op.Value, op => op.OperandType);

        public static IReadOnlyList<Offence> Scan(string assemblyPath)
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            var md = pe.GetMetadataReader();

            var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var handle in md.TypeReferences)
            {
                var name = TypeName(md, handle);
                if (WhyForbidden(name) is { } reason)
                {
                    reasons[name] = reason;
                }
            }

            foreach (var handle in md.MemberReferences)
            {
                var name = MemberName(md, handle);
                if (name is not null && WhyForbiddenMember(name) is { } reason)
                {
                    reasons[name] = reason;
                }
            }

            var usedIn = FindUses(pe, md, reasons.Keys.ToHashSet(StringComparer.Ordinal));
            return reasons
                .OrderBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => new Offence(r.Key, r.Value, usedIn.TryGetValue(r.Key, out var methods) ? methods.Order(StringComparer.Ordinal).ToList() : []))
                .ToList();
        }

        private static string? WhyForbidden(string typeName)
        {
            if (ForbiddenTypes.TryGetValue(typeName, out var reason))
            {
                return reason;
            }

            var ns = typeName[..Math.Max(0, typeName.LastIndexOf('.'))];
            return ForbiddenNamespaces
                .Where(f => ns == f.Namespace || ns.StartsWith(f.Namespace + ".", StringComparison.Ordinal))
                .Select(f => f.Reason)
                .FirstOrDefault();
        }

        private static string? WhyForbiddenMember(string name)
        {
            if (ForbiddenMembers.TryGetValue(name, out var reason))
            {
                return reason;
            }

            var split = name.IndexOf("::", StringComparison.Ordinal);
            return ForbiddenMembersExcept.TryGetValue(name[..split], out var rule) && !rule.Allowed.Contains(name[(split + 2)..])
                ? rule.Reason
                : null;
        }

        /// <summary>For each offending reference, the methods whose IL touches it (directly or through one of its members).</summary>
        private static Dictionary<string, HashSet<string>> FindUses(PEReader pe, MetadataReader md, HashSet<string> offending)
        {
            var uses = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var typeHandle in md.TypeDefinitions)
            {
                var type = md.GetTypeDefinition(typeHandle);
                var typeName = DefinitionName(md, type);
                foreach (var methodHandle in type.GetMethods())
                {
                    var method = md.GetMethodDefinition(methodHandle);
                    if (method.RelativeVirtualAddress == 0)
                    {
                        continue;
                    }

                    var methodName = $"{typeName}.{md.GetString(method.Name)}";
                    foreach (var token in Tokens(pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader()))
                    {
                        foreach (var reference in Names(md, MetadataTokens.EntityHandle(token)))
                        {
                            var hit = offending.Contains(reference) ? reference : null;
                            if (hit is null && reference.Contains("::", StringComparison.Ordinal))
                            {
                                var owner = reference[..reference.IndexOf("::", StringComparison.Ordinal)];
                                hit = offending.Contains(owner) ? owner : null;
                            }

                            if (hit is not null)
                            {
                                (uses.TryGetValue(hit, out var set) ? set : uses[hit] = new HashSet<string>(StringComparer.Ordinal)).Add(methodName);
                            }
                        }
                    }
                }
            }

            return uses;
        }

        /// <summary>The metadata tokens that a method body's instructions carry (calls, fields, types).</summary>
        private static List<int> Tokens(BlobReader il)
        {
            var tokens = new List<int>();
            while (il.RemainingBytes > 0)
            {
                ushort code = il.ReadByte();
                if (code == 0xFE)
                {
                    code = (ushort)(0xFE00 | il.ReadByte());
                }

                switch (Operands[code])
                {
                    case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                        tokens.Add(il.ReadInt32());
                        break;
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                        il.Offset += 1;
                        break;
                    case OperandType.InlineVar:
                        il.Offset += 2;
                        break;
                    case OperandType.InlineI8 or OperandType.InlineR:
                        il.Offset += 8;
                        break;
                    case OperandType.InlineSwitch:
                        // Read the count before touching Offset: "Offset += 4 * ReadInt32()" would read Offset first.
                        var targets = il.ReadInt32();
                        il.Offset += 4 * targets;
                        break;
                    default:
                        il.Offset += 4;
                        break;
                }
            }

            return tokens;
        }

        private static IEnumerable<string> Names(MetadataReader md, EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeReference:
                    yield return TypeName(md, (TypeReferenceHandle)handle);
                    break;
                case HandleKind.TypeSpecification when GenericTypeOf(md, (TypeSpecificationHandle)handle) is { } generic:
                    yield return generic;
                    break;
                case HandleKind.MemberReference when MemberName(md, (MemberReferenceHandle)handle) is { } member:
                    yield return member;
                    break;
                case HandleKind.MethodSpecification:
                    foreach (var name in Names(md, md.GetMethodSpecification((MethodSpecificationHandle)handle).Method))
                    {
                        yield return name;
                    }

                    break;
            }
        }

        private static string? MemberName(MetadataReader md, MemberReferenceHandle handle)
        {
            var member = md.GetMemberReference(handle);
            var owner = member.Parent.Kind switch
            {
                HandleKind.TypeReference => TypeName(md, (TypeReferenceHandle)member.Parent),
                HandleKind.TypeSpecification => GenericTypeOf(md, (TypeSpecificationHandle)member.Parent),
                _ => null,
            };
            return owner is null ? null : $"{owner}::{md.GetString(member.Name)}";
        }

        /// <summary>The generic type of an instantiation such as <c>List&lt;HttpClient&gt;</c>; null for other specifications.</summary>
        private static string? GenericTypeOf(MetadataReader md, TypeSpecificationHandle handle)
        {
            var blob = md.GetBlobReader(md.GetTypeSpecification(handle).Signature);
            if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
            {
                return null;
            }

            blob.ReadSignatureTypeCode();
            var generic = blob.ReadTypeHandle();
            return generic.Kind == HandleKind.TypeReference ? TypeName(md, (TypeReferenceHandle)generic) : null;
        }

        private static string TypeName(MetadataReader md, TypeReferenceHandle handle)
        {
            var type = md.GetTypeReference(handle);
            var name = md.GetString(type.Name);
            return type.ResolutionScope.Kind == HandleKind.TypeReference
                ? $"{TypeName(md, (TypeReferenceHandle)type.ResolutionScope)}+{name}"
                : Qualified(md.GetString(type.Namespace), name);
        }

        private static string DefinitionName(MetadataReader md, TypeDefinition type)
        {
            var name = md.GetString(type.Name);
            var declaring = type.GetDeclaringType();
            return declaring.IsNil
                ? Qualified(md.GetString(type.Namespace), name)
                : $"{DefinitionName(md, md.GetTypeDefinition(declaring))}+{name}";
        }

        private static string Qualified(string ns, string name) => ns.Length == 0 ? name : $"{ns}.{name}";
    }
}

/// <summary>Everything the engine must not do, in one place, so that the scanner can be shown to find it.</summary>
public static class ImpureSample
{
    public static DateTimeOffset ReadsTheClock() => DateTime.UtcNow > DateTimeOffset.Now.UtcDateTime ? DateTime.UtcNow : DateTimeOffset.Now;

    public static long Times() => Stopwatch.GetTimestamp();

    public static DateTimeOffset HoldsAClock(TimeProvider clock) => clock.GetUtcNow();

    public static bool ReadsAFile() => File.Exists("definition.json");

    public static int ListsADirectory() => Directory.GetFiles(".").Length;

    public static Task<string> CallsTheNetwork(System.Net.Http.HttpClient client) => client.GetStringAsync(new Uri("https://example.com"));

    public static string? ReadsTheEnvironment() => Environment.GetEnvironmentVariable("HOME");

    public static Guid MakesAnId() => Guid.NewGuid();

    public static DateTime UsesDatesWithoutAClock(DateTime now) => now.AddDays(1).Date;

    /// <summary>The compiler makes iterators read Environment.CurrentManagedThreadId: harmless, and not an offence.</summary>
    public static IEnumerable<int> CountsTo(int n)
    {
        for (var i = 1; i <= n; i++)
        {
            yield return i;
        }
    }
}
