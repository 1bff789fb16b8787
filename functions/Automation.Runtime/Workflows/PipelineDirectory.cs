using Automation.Engine.Triggers;
using Microsoft.Extensions.Configuration;

namespace Automation.Runtime.Workflows;

/// <summary>
/// Pipelines from configuration, <c>Automation:Pipelines:{name}</c>: the module whose records move through it and its
/// stages in order (<c>Automation__Pipelines__sales__Module=deal</c>, <c>Automation__Pipelines__sales__Stages__0=Lead</c>, ...).
/// The stage boards show them in this order; pipelines and stages only workflows name are shown too. Read at each use,
/// so reloaded configuration applies.
/// </summary>
public sealed class PipelineDirectory(IConfiguration configuration)
{
    public const string Section = "Automation:Pipelines";

    public IReadOnlyList<PipelineDefinition> All => configuration.GetSection(Section).GetChildren()
        .Select(p => new PipelineDefinition(
            p.Key,
            string.IsNullOrWhiteSpace(p["Module"]) ? null : p["Module"]!.Trim().ToLowerInvariant(),
            p.GetSection("Stages").GetChildren().Select(s => s.Value?.Trim()).OfType<string>().Where(s => s.Length > 0).ToList()))
        .ToList();
}
