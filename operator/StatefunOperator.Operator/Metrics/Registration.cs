namespace StatefunOperator.Operator.Metrics;

/// <summary>Undoes a registration once, when disposed.</summary>
internal sealed class Registration(Action undo) : IDisposable
{
    private Action? _undo = undo;

    public void Dispose() => Interlocked.Exchange(ref _undo, null)?.Invoke();
}
