using System.Globalization;

namespace StatefunOperator.Runtime.Egress;

/// <summary>
/// What the broker said about its <c>transaction.max.timeout.ms</c>: the value, or why it could not be
/// read (DescribeConfigs not allowed or not supported, the broker unreachable, no answer in time).
/// </summary>
public sealed record BrokerTransactionLimit
{
    private BrokerTransactionLimit(long? maxTimeoutMillis, string? unknownReason)
    {
        MaxTimeoutMillis = maxTimeoutMillis;
        UnknownReason = unknownReason;
    }

    /// <summary>The broker's <c>transaction.max.timeout.ms</c>, when it said so.</summary>
    public long? MaxTimeoutMillis { get; }

    /// <summary>Why the limit is not known, when it is not.</summary>
    public string? UnknownReason { get; }

    public bool IsKnown => MaxTimeoutMillis is not null;

    public static BrokerTransactionLimit Known(long maxTimeoutMillis) => new(maxTimeoutMillis, null);

    public static BrokerTransactionLimit Unknown(string reason) => new(null, reason);

    /// <summary>The limit from the value of the broker's <c>transaction.max.timeout.ms</c> config entry (null when the broker did not list it).</summary>
    public static BrokerTransactionLimit FromConfigValue(string? value) =>
        value is null
            ? Unknown($"the broker's configuration does not list {TransactionTimeoutCheck.BrokerSetting}")
            : long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var millis) && millis > 0
                ? Known(millis)
                : Unknown($"the broker's {TransactionTimeoutCheck.BrokerSetting} is '{value}', not a positive number of milliseconds");
}
