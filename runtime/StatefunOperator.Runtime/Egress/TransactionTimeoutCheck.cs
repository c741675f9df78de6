using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using StatefunOperator.Module.Validation;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;

namespace StatefunOperator.Runtime.Egress;

/// <summary>
/// An exactly-once egress's transaction timeout must not be larger than the broker's
/// <c>transaction.max.timeout.ms</c> (900000 by default), else every <c>InitTransactions</c> fails with
/// INVALID_TRANSACTION_TIMEOUT. At start the runtime reads the limit (DescribeConfigs on one broker,
/// bounded in time) and stops when the egress asks for more; when the limit cannot be read (not allowed,
/// not supported, broker unreachable) the first <c>InitTransactions</c> error is reported the same way
/// (<see cref="ProblemFromInitTransactions"/>). The decisions are pure; <see cref="ReadBrokerLimitAsync"/>
/// is the only I/O.
/// </summary>
public static class TransactionTimeoutCheck
{
    public const string Field = "deliverySemantic.transactionTimeoutMillis";

    public const string BrokerSetting = "transaction.max.timeout.ms";

    /// <summary>How long reading the broker's limit may take at most (metadata, then DescribeConfigs).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The problem with an egress's transaction timeout given the broker's limit, or null when there is none (or the limit is unknown).</summary>
    public static string? Problem(KafkaEgressOptions egress, BrokerTransactionLimit limit)
    {
        ArgumentNullException.ThrowIfNull(egress);
        ArgumentNullException.ThrowIfNull(limit);
        if (egress.Semantic != KafkaProducerSemantic.ExactlyOnce || limit.MaxTimeoutMillis is not { } max)
        {
            return null;
        }

        var requested = RequestedMillis(egress);
        return requested > max ? Message(egress, requested, max.ToString(CultureInfo.InvariantCulture)) : null;
    }

    /// <summary>The problem an <c>InitTransactions</c> error reveals (INVALID_TRANSACTION_TIMEOUT), or null for any other error.</summary>
    public static string? ProblemFromInitTransactions(KafkaEgressOptions egress, Error error)
    {
        ArgumentNullException.ThrowIfNull(egress);
        ArgumentNullException.ThrowIfNull(error);
        return error.Code == ErrorCode.InvalidTransactionTimeout
            ? Message(egress, RequestedMillis(egress), "not readable here; the broker rejected the timeout with INVALID_TRANSACTION_TIMEOUT")
            : null;
    }

    /// <summary>Why the limit could not be read, from the error of the metadata or DescribeConfigs call.</summary>
    public static BrokerTransactionLimit Unreadable(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var why = error.Code switch
        {
            ErrorCode.ClusterAuthorizationFailed or ErrorCode.TopicAuthorizationFailed
                => "DescribeConfigs is not allowed",
            ErrorCode.Local_UnsupportedFeature or ErrorCode.UnsupportedVersion or ErrorCode.InvalidRequest
                => "the broker does not support DescribeConfigs",
            ErrorCode.Local_TimedOut or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.RequestTimedOut
                => "the broker did not answer",
            _ => "DescribeConfigs failed",
        };
        return BrokerTransactionLimit.Unknown($"{why} ({error.Code}: {error.Reason})");
    }

    /// <summary>
    /// Reads the limit for an exactly-once egress and returns the problem, if any; logs (and returns null)
    /// when the limit cannot be read, leaving the verdict to <c>InitTransactions</c>.
    /// </summary>
    public static async Task<string?> CheckAsync(KafkaEgressOptions egress, ILogger logger, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(egress);
        ArgumentNullException.ThrowIfNull(logger);
        if (egress.Semantic != KafkaProducerSemantic.ExactlyOnce)
        {
            return null;
        }

        var limit = await ReadBrokerLimitAsync(egress, logger, timeout, cancellationToken).ConfigureAwait(false);
        if (limit.UnknownReason is { } reason)
        {
            logger.LogInformation(
                "egress {Egress}: cannot read the broker's {Setting} ({Reason}); the first InitTransactions will tell whether {Field} {Millis} is accepted",
                egress.Id,
                BrokerSetting,
                reason,
                Field,
                RequestedMillis(egress));
        }

        return Problem(egress, limit);
    }

    /// <summary>
    /// The broker's <c>transaction.max.timeout.ms</c> (DescribeConfigs on the first broker in the
    /// metadata), connecting as the egress's producer would. Never takes much longer than
    /// <paramref name="timeout"/>: an unreachable broker gives an unknown limit.
    /// </summary>
    public static async Task<BrokerTransactionLimit> ReadBrokerLimitAsync(KafkaEgressOptions egress, ILogger logger, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(egress);
        ArgumentNullException.ThrowIfNull(logger);
        var properties = KafkaPropertyScopes.ForProducer(egress.Properties);
        // The admin client connects like the producer (security settings) but is not one.
        properties.Remove("transactional.id");
        properties.Remove("enable.idempotence");
        var config = new AdminClientConfig(properties) { BootstrapServers = egress.Address };
        var started = Stopwatch.StartNew();
        using var admin = new AdminClientBuilder(config)
            .SetLogHandler((_, message) => logger.LogDebug("egress {Egress} admin: kafka {Facility}: {Message}", egress.Id, message.Facility, message.Message))
            .SetErrorHandler((_, error) => logger.LogDebug("egress {Egress} admin: {Error}", egress.Id, error.Reason))
            .Build();
        try
        {
            var metadata = await Task.Run(() => admin.GetMetadata(timeout), cancellationToken).ConfigureAwait(false);
            if (metadata.Brokers.Count == 0)
            {
                return BrokerTransactionLimit.Unknown("the metadata names no broker");
            }

            var remaining = timeout - started.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                return BrokerTransactionLimit.Unknown($"the broker did not answer within {timeout.TotalSeconds:0.#} s");
            }

            var broker = new ConfigResource
            {
                Type = ResourceType.Broker,
                Name = metadata.Brokers[0].BrokerId.ToString(CultureInfo.InvariantCulture),
            };
            var results = await admin.DescribeConfigsAsync([broker], new DescribeConfigsOptions { RequestTimeout = remaining })
                .WaitAsync(remaining + TimeSpan.FromSeconds(1), cancellationToken)
                .ConfigureAwait(false);
            var entries = results.Count > 0 ? results[0].Entries : new Dictionary<string, ConfigEntryResult>();
            return BrokerTransactionLimit.FromConfigValue(entries.TryGetValue(BrokerSetting, out var entry) ? entry.Value : null);
        }
        catch (DescribeConfigsException e)
        {
            var error = e.Results.Select(r => r.Error).FirstOrDefault(r => r.IsError) ?? e.Error;
            return Unreadable(error);
        }
        catch (KafkaException e)
        {
            return Unreadable(e.Error);
        }
        catch (TimeoutException)
        {
            return BrokerTransactionLimit.Unknown($"the broker did not answer within {timeout.TotalSeconds:0.#} s");
        }
    }

    private static long RequestedMillis(KafkaEgressOptions egress) => (long)egress.TransactionTimeout.TotalMilliseconds;

    private static string Message(KafkaEgressOptions egress, long requested, string limit) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"egress {egress.Id}: {Field}: {requested} is larger than the broker's {BrokerSetting} ({limit}); lower it or raise the broker setting");
}
