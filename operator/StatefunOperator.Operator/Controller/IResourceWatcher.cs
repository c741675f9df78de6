namespace StatefunOperator.Operator.Controller;

/// <summary>One kind watched in one namespace (or all), whatever its type: what the controller starts and waits for.</summary>
public interface IResourceWatcher
{
    /// <summary>Completes after the first list (or the first forbidden one).</summary>
    Task Synced { get; }

    int Lists { get; }

    int ForbiddenLists { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
