using Microsoft.Playwright;
using MiniCluster.Contracts;
using MiniCluster.Hosting;
using MiniCluster.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace MiniCluster.Tests;

/// <summary>
/// The dashboard in headless Chromium: an embedded cluster with two masters (one leads, one stands by) and three
/// executors; the page lists the executors and the running job, and follows an executor's death and a change of leader.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class DashboardTests
{
    private static readonly LocatorAssertionsToHaveCountOptions Count = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToHaveTextOptions Text = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToContainTextOptions Contains = new() { Timeout = 30_000 };

    [ChromiumFact]
    public async Task The_dashboard_shows_executors_and_the_running_job_and_follows_a_lost_executor_and_a_new_leader()
    {
        using CancellationTokenSource timeout = new(TimeSpan.FromMinutes(3));
        await using EmbeddedCluster cluster = new();
        await cluster.StartAsync(executors: 3, slots: 2, "http://127.0.0.1:0", timeout.Token, masters: 2);
        await using ClusterClient client = await cluster.ClientAsync();
        // Long enough to watch and break (about 20 s on four slots): every task pauses 2.5 s after counting.
        JobSpec job = new("dashboard-job", "word count", Shards: 30, ShardBytes: 64 * 1024, Reducers: 2, Seed: 3, Vocabulary: 500, TaskPauseMs: 2500);

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumFactAttribute.Executable, Headless = true });
        IPage page = await browser.NewPageAsync();
        // The first master's dashboard: it serves while leading, and keeps following the leader once it stands by.
        await page.GotoAsync(cluster.DashboardUrls[0]);

        await Expect(page.Locator("#connection")).ToHaveTextAsync("live", Text);
        await Expect(page.Locator("#epoch")).ToHaveTextAsync("1", Text);
        await Expect(page.Locator("#served-role")).ToHaveTextAsync("(the leader)", Text);
        await Expect(page.Locator("#executors tr[data-executor]")).ToHaveCountAsync(3, Count);
        foreach (string executor in new[] { "executor-1", "executor-2", "executor-3" })
        {
            await Expect(page.Locator($"#executors tr[data-executor='{executor}']")).ToHaveCountAsync(1, Count);
        }

        using JobInput input = JobInput.Generate(job);
        (JobSpec uploaded, _) = await input.UploadAsync(client, timeout.Token);
        await client.SubmitAsync(uploaded, timeout.Token);
        ILocator jobRow = page.Locator("#jobs tr[data-job='dashboard-job']");
        await Expect(jobRow.Locator("[data-state]")).ToHaveTextAsync("Running", Text);
        await Expect(page.Locator("#executors .slot.busy").First).ToBeVisibleAsync(new() { Timeout = 30_000 });

        await cluster.KillExecutorAsync(1);
        await Expect(page.Locator("#executors tr[data-executor='executor-2']")).ToHaveCountAsync(0, Count);
        await Expect(page.Locator("#executors tr[data-executor]")).ToHaveCountAsync(2, Count);
        await Expect(page.Locator("#events")).ToContainTextAsync("executor executor-2 gone", Contains);

        string firstLeader = await page.Locator("#leader").InnerTextAsync();
        cluster.FailOver();
        await Expect(page.Locator("#epoch")).ToHaveTextAsync("2", Text);
        await Expect(page.Locator("#leader")).Not.ToHaveTextAsync(firstLeader, Text);
        await Expect(page.Locator("#served-role")).ToHaveTextAsync("(standby)", Text);
        await Expect(page.Locator("#events")).ToContainTextAsync("leader: epoch 2", Contains);
        // The new leader recovered the job and the executors re-registered with it.
        await Expect(page.Locator("#executors tr[data-executor]")).ToHaveCountAsync(2, Count);
        await Expect(jobRow.Locator("td").Last).ToHaveTextAsync("2", Text);
        // Kept beside the test's output for a person to look at (docs/cluster.md shows one).
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "dashboard-after-failover.png"), FullPage = true });
        await Expect(jobRow.Locator("[data-state]")).ToHaveTextAsync("Finished", new() { Timeout = 120_000 });
    }
}
