using System.Text.Json;
using k8s;
using k8s.Models;

namespace StatefunOperator.LocalRunner;

/// <summary>
/// The garbage collector's question, asked by the runner (there is no controller manager where it runs): does the
/// custom resource that controls this object still exist, with the uid the owner reference names?
/// </summary>
internal static class ControllerOwner
{
    /// <summary>False when the controlling owner of <paramref name="kind"/> is gone (or replaced by one of the same name); true otherwise.</summary>
    public static async Task<bool> ExistsAsync(IKubernetes client, IKubernetesObject<V1ObjectMeta> owned, string kind, string plural, CancellationToken cancellationToken)
    {
        var owner = owned.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (owner is null || owner.Kind != kind)
        {
            return true;
        }

        var group = owner.ApiVersion.Split('/')[0];
        var version = owner.ApiVersion.Split('/')[^1];
        try
        {
            var found = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
                group, version, owned.Metadata.NamespaceProperty, plural, owner.Name, cancellationToken).ConfigureAwait(false);
            return !found.TryGetProperty("metadata", out var metadata) || !metadata.TryGetProperty("uid", out var uid) || uid.GetString() == owner.Uid;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
