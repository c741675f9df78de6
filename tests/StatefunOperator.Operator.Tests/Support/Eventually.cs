namespace StatefunOperator.Operator.Tests.Support;

/// <summary>Polls until a condition holds, failing with a message that says what was awaited and what was last seen.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        T last = default!;
        Exception? lastError = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await probe();
                lastError = null;
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception exception)
            {
                lastError = exception;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Timed out after {timeout ?? TimeSpan.FromSeconds(30)} waiting for {what}; last seen: {(lastError is null ? Describe(last) : lastError.Message)}");
    }

    private static string Describe<T>(T value)
    {
        try
        {
            return value is null ? "null" : k8s.KubernetesJson.Serialize(value);
        }
        catch (NotSupportedException)
        {
            return value?.ToString() ?? "null"; // a test's own type, not in the operator's JSON contexts
        }
    }
}
