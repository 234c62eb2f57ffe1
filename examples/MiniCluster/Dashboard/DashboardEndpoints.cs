using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MiniCluster.Dashboard;

/// <summary>The dashboard's routes: the page, the latest snapshot as JSON, and a stream of snapshots as server-sent events.</summary>
public static class DashboardEndpoints
{
    private static readonly TimeSpan StreamPoll = TimeSpan.FromMilliseconds(100);

    public static void Map(WebApplication app)
    {
        string page = ReadPage();
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        app.MapGet("/api/state", (DashboardFeed feed) => Results.Content(feed.Json, "application/json"));
        app.MapGet("/api/events", StreamAsync);
    }

    private static async Task StreamAsync(HttpContext context)
    {
        DashboardFeed feed = context.RequestServices.GetRequiredService<DashboardFeed>();
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        CancellationToken closed = context.RequestAborted;
        long sent = -1;
        try
        {
            while (!closed.IsCancellationRequested)
            {
                long version = feed.Version;
                if (version != sent)
                {
                    sent = version;
                    await context.Response.WriteAsync("data: " + feed.Json + "\n\n", closed);
                    await context.Response.Body.FlushAsync(closed);
                }

                await Task.Delay(StreamPoll, closed);
            }
        }
        catch (OperationCanceledException) when (closed.IsCancellationRequested)
        {
            // The page was closed.
        }
    }

    private static string ReadPage()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("MiniCluster.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("The dashboard page is not embedded in the assembly.");
        using StreamReader reader = new(stream);
        return reader.ReadToEnd();
    }
}
