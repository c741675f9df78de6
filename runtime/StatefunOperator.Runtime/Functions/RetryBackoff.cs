namespace StatefunOperator.Runtime.Functions;

/// <summary>Exponential backoff between retries of a failed function call, capped.</summary>
public static class RetryBackoff
{
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ticks = Math.Min((double)initial.Ticks * Math.Pow(2, exponent), max.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
