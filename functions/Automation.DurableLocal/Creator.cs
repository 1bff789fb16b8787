using DurableTask.Core;

namespace Automation.DurableLocal;

/// <summary>Builds a fresh orchestration or activity object for each work item, as the framework expects.</summary>
internal sealed class Creator<T> : ObjectCreator<T>
{
    private readonly Func<T> create;

    public Creator(string name, Func<T> create)
    {
        Name = name;
        Version = string.Empty;
        this.create = create;
    }

    public override T Create() => create();
}
