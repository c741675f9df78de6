using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace StatefunOperator.Operator.Webhook;

/// <summary>
/// Keeps the webhook's certificates without cert-manager: the Secret <c>options.WebhookSecret</c> in the operator's
/// namespace holds the CA (<c>ca.crt</c>, <c>ca.key</c>), the CA it replaced while that one is still trusted
/// (<c>ca-previous.crt</c>) and the serving pair (<c>tls.crt</c>, <c>tls.key</c>). Every replica runs one: the first
/// creates the Secret (a conflict means another did: read it again), whoever finds a certificate with less than a third
/// of its life left, or without the Service's names, replaces it (with the Secret's resourceVersion, so two replicas
/// never both win), each serves what the Secret holds, and each sets the ValidatingWebhookConfiguration's
/// <c>caBundle</c> to the CAs the Secret trusts when it differs. Checked at start and then every
/// <see cref="Period"/>, sooner until a certificate is served and the bundle is set. The one owner of <see cref="Current"/>.
/// </summary>
public sealed class WebhookCertificateKeeper(IKubernetes client, OperatorOptions options, ILogger logger, TimeProvider? clock = null)
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(10);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private volatile X509Certificate2? _current;
    private string? _servedPem;
    private bool _configurationMissingReported;
    private bool _bundleCurrent;

    /// <summary>The serving certificate with its key, once the Secret holds one.</summary>
    public X509Certificate2? Current => _current;

    private string Namespace => options.LeaseNamespace;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await SyncAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && exception is not OutOfMemoryException)
            {
                // The webhook is a convenience in front of the status conditions: its trouble never stops reconciling.
                logger.LogWarning("Keeping the webhook's certificate failed ({Message}); trying again in {Delay}", Describe(exception), NextCheck);
            }

            try
            {
                await Task.Delay(NextCheck, _clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Soon while there is nothing to serve (5 s) or the configuration's CA bundle is not set yet (15 s: the
    /// configuration may be applied after the operator starts, and until its bundle is set the API server cannot
    /// call the webhook); then every <see cref="Period"/>.
    /// </summary>
    private TimeSpan NextCheck => _current is null ? TimeSpan.FromSeconds(5) : !_bundleCurrent ? TimeSpan.FromSeconds(15) : Period;

    /// <summary>One round: the Secret made or renewed where due, its certificate served, the CA bundle set.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var secret = await ReadSecretAsync(cancellationToken).ConfigureAwait(false);
        var data = secret?.Data ?? new Dictionary<string, byte[]>();
        var renewed = Renew(data);
        if (renewed is not null)
        {
            secret = await WriteSecretAsync(secret, renewed, cancellationToken).ConfigureAwait(false);
            data = secret?.Data ?? new Dictionary<string, byte[]>();
        }

        // The API server trusts a new CA before it is served: bundle first, certificate second.
        _bundleCurrent = Text(data, "ca.crt") is { } ca
            && await SetCaBundleAsync(Bundle(ca, Text(data, "ca-previous.crt")), cancellationToken).ConfigureAwait(false);

        if (Text(data, "tls.crt") is { } certificatePem && Text(data, "tls.key") is { } keyPem && certificatePem != _servedPem)
        {
            _current = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            _servedPem = certificatePem;
            logger.LogInformation("Serving the webhook with a certificate valid until {NotAfter:u} (Secret {Namespace}/{Secret})", _current.NotAfter.ToUniversalTime(), Namespace, options.WebhookSecret);
        }
    }

    /// <summary>The CAs the API server is to trust, as PEM blocks each on lines of their own (Go's PEM reader needs the line break between them).</summary>
    public static string Bundle(string ca, string? previous) =>
        previous is null ? ca : ca.TrimEnd('\n') + "\n" + previous.TrimEnd('\n') + "\n";

    /// <summary>The Secret's new data when something is due (a new or expiring CA, an expiring serving certificate or one without the Service's names), else null.</summary>
    private Dictionary<string, byte[]>? Renew(IDictionary<string, byte[]> data)
    {
        var now = _clock.GetUtcNow();
        var names = WebhookCertificates.DnsNames(options.WebhookService, Namespace);
        var caPem = Text(data, "ca.crt");
        var caKey = Text(data, "ca.key");
        var previous = Text(data, "ca-previous.crt");
        var newAuthority = caKey is null || WebhookCertificates.DueForRenewal(caPem, now);
        var previousExpired = previous is not null && Expired(previous, now);
        if (!newAuthority && !previousExpired && !WebhookCertificates.DueForRenewal(Text(data, "tls.crt"), now)
            && Names(Text(data, "tls.crt")).IsSupersetOf(names) && Loads(Text(data, "tls.crt"), Text(data, "tls.key")))
        {
            return null;
        }

        if (previousExpired)
        {
            previous = null;
        }

        if (newAuthority)
        {
            // The old CA stays in the bundle while it is valid, so the API server trusts either serving certificate.
            previous = caPem is not null && !Expired(caPem, now) ? caPem : null;
            (caPem, caKey) = WebhookCertificates.NewAuthority(now);
        }

        var (certificate, key) = WebhookCertificates.NewServing(caPem!, caKey!, names, now);
        var renewed = new Dictionary<string, byte[]>
        {
            ["ca.crt"] = Encoding.ASCII.GetBytes(caPem!),
            ["ca.key"] = Encoding.ASCII.GetBytes(caKey!),
            ["tls.crt"] = Encoding.ASCII.GetBytes(certificate),
            ["tls.key"] = Encoding.ASCII.GetBytes(key),
        };
        if (previous is not null)
        {
            renewed["ca-previous.crt"] = Encoding.ASCII.GetBytes(previous);
        }

        logger.LogInformation("Webhook certificates {What} (Secret {Namespace}/{Secret})", newAuthority ? "made with a new CA" : "renewed", Namespace, options.WebhookSecret);
        return renewed;
    }

    private async Task<V1Secret?> ReadSecretAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedSecretAsync(options.WebhookSecret, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Creates or replaces the Secret; when another replica wrote it first, what it wrote.</summary>
    private async Task<V1Secret?> WriteSecretAsync(V1Secret? existing, Dictionary<string, byte[]> data, CancellationToken cancellationToken)
    {
        try
        {
            if (existing is null)
            {
                var secret = new V1Secret
                {
                    Metadata = new V1ObjectMeta
                    {
                        Name = options.WebhookSecret,
                        NamespaceProperty = Namespace,
                        Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = OperatorOptions.FieldManager },
                    },
                    Type = "kubernetes.io/tls",
                    Data = data,
                };
                return await client.CoreV1.CreateNamespacedSecretAsync(secret, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            existing.Data = data;
            return await client.CoreV1.ReplaceNamespacedSecretAsync(existing, options.WebhookSecret, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            return await ReadSecretAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sets the configuration's CA bundle where it differs; whether it is current now.</summary>
    private async Task<bool> SetCaBundleAsync(string bundle, CancellationToken cancellationToken)
    {
        V1ValidatingWebhookConfiguration configuration;
        try
        {
            configuration = await client.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync(options.WebhookConfiguration, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            if (!_configurationMissingReported)
            {
                _configurationMissingReported = true;
                logger.LogWarning("The ValidatingWebhookConfiguration {Name} is not installed: the API server does not call the webhook, and bad specs are told only in their status (install config/default or config/namespaced)", options.WebhookConfiguration);
            }

            return false;
        }

        _configurationMissingReported = false;
        var wanted = Encoding.ASCII.GetBytes(bundle);
        var operations = configuration.Webhooks
            .Select((webhook, index) => (webhook, index))
            .Where(w => w.webhook.ClientConfig.CaBundle is not { } current || !current.AsSpan().SequenceEqual(wanted))
            .Select(w => $"{{\"op\":\"add\",\"path\":\"/webhooks/{w.index}/clientConfig/caBundle\",\"value\":\"{Convert.ToBase64String(wanted)}\"}}")
            .ToList();
        if (operations.Count == 0)
        {
            return true;
        }

        var patch = $"[{{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"{configuration.Metadata.ResourceVersion}\"}},{string.Join(',', operations)}]";
        try
        {
            await client.AdmissionregistrationV1.PatchValidatingWebhookConfigurationAsync(new V1Patch(patch, V1Patch.PatchType.JsonPatch), options.WebhookConfiguration, cancellationToken: cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Set the CA bundle of ValidatingWebhookConfiguration {Name} ({Count} webhooks)", options.WebhookConfiguration, operations.Count);
            return true;
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity)
        {
            // Changed meanwhile (another replica set it): the next round looks again.
            return false;
        }
    }

    private static HashSet<string> Names(string? certificatePem)
    {
        if (certificatePem is null)
        {
            return [];
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            return certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToHashSet(StringComparer.Ordinal);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return [];
        }
    }

    private static bool Expired(string certificatePem, DateTimeOffset now)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            return now.UtcDateTime >= certificate.NotAfter.ToUniversalTime();
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return true;
        }
    }

    /// <summary>Whether the serving pair loads as one certificate with its key (a damaged or mismatched key is made anew).</summary>
    private static bool Loads(string? certificatePem, string? keyPem)
    {
        if (certificatePem is null || keyPem is null)
        {
            return false;
        }

        try
        {
            using var pair = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            return pair.HasPrivateKey;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private static string? Text(IDictionary<string, byte[]> data, string key) =>
        data.TryGetValue(key, out var bytes) && bytes.Length > 0 ? Encoding.ASCII.GetString(bytes) : null;

    private static string Describe(Exception exception) =>
        exception is HttpOperationException { Response.Content: { Length: > 0 } content } ? $"{exception.Message}: {content}" : exception.Message;
}
