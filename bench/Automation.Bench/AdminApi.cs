using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Automation.Engine.Json;

namespace Automation.Bench;

/// <summary>The admin API of a host, in this process or a child one, as a client with the admin key sees it.</summary>
public sealed class AdminApi : IDisposable
{
    public AdminApi(Uri baseAddress, string adminKey)
    {
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    }

    public HttpClient Client { get; }

    /// <summary>Creates the workflow and activates it; returns its id.</summary>
    public async Task<string> ActiveWorkflowAsync(object definition)
    {
        using var created = await Client.PostAsJsonAsync("api/workflows", definition, EngineJson.Options);
        await EnsureAsync(created, HttpStatusCode.Created);
        using var doc = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = doc.RootElement.GetProperty("id").GetString()!;
        using var activated = await Client.PostAsync(new Uri($"api/workflows/{id}/activate", UriKind.Relative), null);
        await EnsureAsync(activated, HttpStatusCode.OK);
        return id;
    }

    /// <summary>Posts events (one request); returns when the host answered 202.</summary>
    public async Task PostEventsAsync(IReadOnlyList<BenchEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        object body = events.Count == 1 ? events[0] : events;
        using var response = await Client.PostAsJsonAsync("api/events", body, EngineJson.Options);
        await EnsureAsync(response, HttpStatusCode.Accepted);
    }

    /// <summary>The body of a GET, or null when it did not answer 200.</summary>
    public async Task<string?> GetTextAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
    }

    public void Dispose() => Client.Dispose();

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var text = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {text}"));
        }
    }
}

/// <summary>An event as <c>POST /api/events</c> takes it.</summary>
public sealed record BenchEvent(string Id, string Type, string Module, string RecordId, DateTimeOffset OccurredAt, IReadOnlyDictionary<string, object?> Record);
