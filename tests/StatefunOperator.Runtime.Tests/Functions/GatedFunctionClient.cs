using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Tests.Functions;

/// <summary>
/// A function client (for pure dispatcher tests) whose calls all wait until <see cref="Open"/>, recording each request
/// in the order the calls were made and the most calls that were in flight at once; every call then answers with an
/// empty result.
/// </summary>
internal sealed class GatedFunctionClient : IFunctionClient
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly List<ToFunction.Types.InvocationBatchRequest> _requests = [];
    private int _inFlight;

    public int MostInFlight { get; private set; }

    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    public IReadOnlyList<ToFunction.Types.InvocationBatchRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public void Open() => _open.TrySetResult();

    public async Task<FromFunction> InvokeAsync(FunctionEndpoint endpoint, FunctionAddress target, ToFunction request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _requests.Add(request.Invocation);
            _inFlight++;
            MostInFlight = Math.Max(MostInFlight, _inFlight);
        }

        try
        {
            await _open.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return FunctionReplies.Result();
        }
        finally
        {
            lock (_gate)
            {
                _inFlight--;
            }
        }
    }
}
