<?php
// bench/morgue/search.php: a re-creation of Etsy Morgue's search path and
// post-mortem page, for bench/morgue/run.sh. It is NOT Morgue: Morgue's code
// is not in Debian, so this follows what Morgue (github.com/etsy/morgue)
// does for these two requests, against the tables of Morgue's schema:
//
//   GET /search?q=WORDS  features/search/routes.php, lib.php (Search::perform)
//                        and views/search.php: the terms split as Morgue
//                        splits them, one "(summary RLIKE '[[:<:]]t[[:>:]]'
//                        OR title RLIKE ...)" per term, ANDed, over every
//                        postmortem; each row's date formatted in the
//                        configured zone and scored in PHP (preg_match_all
//                        of \bterm\b in summary and title), sorted by score;
//                        a table of title and date in views/page.php's
//                        layout (its head, navbar and the time zone form
//                        that lists every zone).
//   GET /events/ID       htdocs/index.php's /events/:id with
//                        Postmortem::get_event (the postmortem and its tags
//                        on one connection, its history on another), the
//                        edit page's times and durations, and the lists of
//                        the edit page's features (forum links, images,
//                        Jira, IRC, Slack), each on a connection of its own
//                        as Morgue's feature libraries open one when none is
//                        passed.
//
// Like Persistence::get_database_object, every connection is a new PDO
// (no persistent connections). Left out, so that this costs less than
// Morgue does: the Slim framework and its routing, the encrypted session
// cookie middleware, the configuration file read and parsed per request,
// and the asset version middleware.
//
// bench/morgue/run.sh serves it with php-fpm behind nginx (every path to
// this one script); the database is given by MORGUE_DSN, MORGUE_USER and
// MORGUE_PASSWORD in the environment.

const TIMEZONE = 'America/New_York'; // getUserTimezone()'s default

function morgue_db()
{
    $conn = new PDO(getenv('MORGUE_DSN'), getenv('MORGUE_USER'),
                    getenv('MORGUE_PASSWORD'));
    $conn->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
    return $conn;
}

// Search::split_terms: quoted phrases kept whole, then split on spaces and
// commas.
function split_terms($terms)
{
    $terms = preg_replace_callback('/"(.*?)"/', function ($m) {
        $t = preg_replace_callback('/(\s)/', function ($w) {
            return '{WHITESPACE-' . ord($w[1]) . '}';
        }, $m[1]);
        return preg_replace('/,/', '{COMMA}', $t);
    }, $terms);
    $out = array();
    foreach (preg_split('/\s+|,/', $terms) as $term) {
        $term = preg_replace_callback('/\{WHITESPACE-([0-9]+)\}/', function ($m) {
            return chr($m[1]);
        }, $term);
        $out[] = preg_replace('/\{COMMA\}/', ',', $term);
    }
    return $out;
}

function page_head($title)
{
    echo '<!DOCTYPE html>
<html lang="en">
  <head>
    <meta name="csrf-token" content="" />
    <meta name="csrf-param" content="_csrf" />
    <link rel="stylesheet" href="/assets/css/bootstrap.min.css" />
    <link rel="stylesheet" href="/assets/css/bootstrap-responsive.min.css" />
    <link rel="stylesheet" href="/assets/css/bootstrap-datepicker.css" />
    <link rel="stylesheet" href="/assets/css/chosen.css" />
    <link rel="stylesheet" href="/assets/css/image_sizing.css" />
    <link rel="stylesheet" href="/assets/css/morgue.css" />
    <title>', htmlentities($title), '</title>
    <script type="text/javascript" src="https://ajax.googleapis.com/ajax/libs/jquery/1.7.2/jquery.min.js"></script>
  </head>
  <body>
<div class="navbar"><div class="navbar-inner"><div class="container">
  <a class="brand" href="/">Post Mortem Keeper</a>
  <div><ul class="nav">';
    foreach (array('anniversary', 'calendar', 'report') as $f) {
        echo '<li class="', $f, '"><a href="/', $f, '">', ucfirst($f), '</a></li>';
    }
    echo '</ul></div>
</div></div></div>
    <div class="container-fluid">
      <div class="row-fluid">
        <div class="span9">
';
}

// views/page.php's end: the time zone form (views/timezone.php and
// views/modal/timezone.php), every zone an option.
function page_foot()
{
    echo '        </div>
        <div class="span3">
<div class="row-fluid">
  <a class="btn btn-large btn-block btn-primary" data-toggle="modal" href="#tz" data-target="#tz">Change Timezone</a>
  <div style="text-align: center"><b>Current:</b> <span id="current_tz">', TIMEZONE, '</span></div>
<div class="modal fade" id="tz" tabindex="-1" role="dialog">
  <div class="modal-body">
    <form class="form-horizontal" method="post" action="/timezone">
      <select id="change_timezone" name="timezone" class="input-large">
';
    foreach (DateTimeZone::listIdentifiers() as $tz) {
        echo '<option value="', $tz, '">', $tz, "</option>\n";
    }
    echo '      </select>
    </form>
  </div>
</div>
</div>
        </div>
      </div>
    </div>
  </body>
</html>
';
}

function search($q)
{
    $terms = split_terms($q);
    $parts = array();
    $args = array();
    $rx = array();
    foreach ($terms as $term) {
        // Search::db_escape_terms (Morgue pastes the escaped term into the
        // SQL; PDO's emulated prepares send the same text)
        $db = '[[:<:]]' . preg_replace('/([.\[\]*^\$])/', '\\\\$1', $term) . '[[:>:]]';
        $parts[] = '(summary RLIKE ? OR title RLIKE ?)';
        $args[] = $db;
        $args[] = $db;
        $rx[] = '\b' . preg_quote($term, '/') . '\b';
    }
    $conn = morgue_db();
    $stmt = $conn->prepare('SELECT id, title, summary, created FROM postmortems WHERE '
                           . implode(' AND ', $parts));
    $stmt->execute($args);
    $tz = new DateTimeZone(TIMEZONE);
    $rows = array();
    while ($row = $stmt->fetch(PDO::FETCH_ASSOC)) {
        $row['score'] = 0;
        $created = new DateTime("@$row[created]");
        $created->setTimezone($tz);
        $row['created'] = $created->format('m/d/Y G:ia');
        foreach ($rx as $r) {
            $row['score'] += preg_match_all("/$r/i", $row['summary']);
            $row['score'] += preg_match_all("/$r/i", $row['title']);
        }
        $rows[] = $row;
    }
    uasort($rows, function ($a, $b) {
        return $b['score'] <=> $a['score'];
    });
    $conn = null;

    page_head('Search Results');
    echo '<div class="row-fluid">
     <legend>Search Results</legend>
';
    if (count($rows) == 0) {
        echo '<h3>No Results</h3>';
    } else {
        echo '<table class="table table-striped">
               <thead><tr><th>Title</th><th>Created</th></tr></thead>';
        foreach ($rows as $r) {
            echo '<tr><td><a href=/events/', $r['id'], '>',
                htmlspecialchars($r['title']), '</a></td><td>', $r['created'],
                "</td></tr>\n";
        }
        echo '</table>';
    }
    echo "</div>\n";
    page_foot();
}

// Persistence::get_array over one of the edit page's lists.
function event_list($sql, $id)
{
    $conn = morgue_db();
    $stmt = $conn->prepare($sql);
    $stmt->execute(array('postmortem_id' => $id, 'deleted' => 0));
    $rows = $stmt->fetchAll(PDO::FETCH_ASSOC);
    $conn = null;
    return $rows;
}

// index.php's getTimeString
function time_string($diff)
{
    $min = floor($diff / 60 % 60);
    $hours = floor($diff / 60 / 60);
    return $hours . ($hours == 1 ? ' hour' : ' hours') . ', ' .
        $min . ($min == 1 ? ' minute' : ' minutes');
}

function event($id)
{
    // Postmortem::get_event
    $conn = morgue_db();
    $stmt = $conn->prepare('SELECT id,title,summary,why_surprised,tldr,starttime,endtime,
        statustime,detecttime,severity,contact,gcal,facilitator,facilitator_email,
        meeting_notes_link,deleted FROM postmortems WHERE id = :id LIMIT 1');
    $stmt->execute(array('id' => $id));
    $event = $stmt->fetch(PDO::FETCH_ASSOC);
    if (!$event) {
        http_response_code(404);
        echo "loooool";
        return;
    }
    $stmt = $conn->prepare('SELECT id, title FROM tags INNER JOIN
        (postmortem_referenced_tags pmt) on (pmt.tag_id = tags.id)
        WHERE postmortem_id=:postmortem_id AND pmt.deleted=:deleted');
    $stmt->execute(array('postmortem_id' => $id, 'deleted' => 0));
    $tags = $stmt->fetchAll(PDO::FETCH_ASSOC);
    $conn = null;
    $conn = morgue_db(); // Postmortem::get_history opens its own
    $stmt = $conn->prepare('SELECT * FROM postmortem_history WHERE postmortem_id=:pid');
    $stmt->execute(array('pid' => $id));
    $history = $stmt->fetchAll();
    $conn = null;

    $tz = new DateTimeZone(TIMEZONE);
    $times = array();
    foreach (array('starttime' => 'Start time', 'endtime' => 'End time',
                   'detecttime' => 'Detect time', 'statustime' => 'Status time') as $k => $label) {
        $d = new DateTime('@' . $event[$k]);
        $d->setTimezone($tz);
        $times[$label] = $d;
    }

    page_head(sprintf('%s | Morgue', $event['title']));
    echo '<div class="row-fluid"><div class="offset1 span10">
<div class="row-fluid"><input class="input-headline" id="eventtitle" type="text" value="',
        htmlspecialchars($event['title']), '"></div>
<div class="row-fluid"><i class="muted"><small>All times are currently shown in ', TIMEZONE,
        ' time.</small></i></div>
<form class="form-horizontal"><div class="span6">
';
    foreach ($times as $label => $d) {
        echo '<div class="control-group"><label class="control-label">', $label,
            ': </label><div class="controls controls-row"><input class="input-small datepicker" type="text" value="',
            $d->format('m/d/Y'), '"><input class="input-mini timeentry" type="text" value="',
            $d->format('g:iA'), "\"></div></div>\n";
    }
    echo '<select id="severity-select" name="severity">';
    for ($s = 1; $s <= 5; $s++) {
        echo '<option value="', $s, '"', ($s == $event['severity'] ? ' selected="true"' : ''),
            '>', $s, '</option>';
    }
    echo "</select></div><div class=\"span6\">\n";
    $st = $event['starttime'];
    $en = $event['endtime'];
    $de = $event['detecttime'];
    foreach (array('impacttime' => time_string($en - $st),
                   'undetecttime' => time_string($de - $st),
                   'resolvetime' => time_string($en - $de)) as $k => $v) {
        echo '<input class="input-medium" id="', $k, '" type="text" value="', $v, "\" readonly=true/>\n";
    }
    echo "</div></form></div>\n";
    echo '<div class="row-fluid"><legend>Contact</legend>', htmlspecialchars($event['contact']), "</div>\n";
    echo '<div class="row-fluid"><legend>Summary</legend><textarea id="summary">',
        htmlspecialchars($event['summary']), "</textarea></div>\n";
    echo '<div class="row-fluid"><legend>Why were we surprised?</legend><textarea id="why_surprised">',
        htmlspecialchars($event['why_surprised']), "</textarea></div>\n";
    $lists = array(
        'Images' => array('SELECT id, image_link FROM images WHERE postmortem_id = :postmortem_id AND deleted = :deleted', 'image_link'),
        'IRC' => array('SELECT id, channel FROM irc WHERE postmortem_id = :postmortem_id AND deleted = :deleted', 'channel'),
        'Jira' => array('SELECT id, ticket FROM jira WHERE postmortem_id = :postmortem_id AND deleted = :deleted', 'ticket'),
        'Forum links' => array('SELECT id, forum_link, comment FROM forum_links WHERE postmortem_id = :postmortem_id AND deleted = :deleted', 'forum_link'),
        'Slack' => array('SELECT id, channel_name FROM slack WHERE postmortem_id = :postmortem_id AND deleted = :deleted', 'channel_name'),
    );
    foreach ($lists as $legend => $l) {
        echo '<div class="row-fluid"><legend>', $legend, "</legend><ul>\n";
        foreach (event_list($l[0], $id) as $row) {
            echo '<li>', htmlspecialchars($row[$l[1]]),
                (isset($row['comment']) ? ' ' . htmlspecialchars($row['comment']) : ''), "</li>\n";
        }
        echo "</ul></div>\n";
    }
    echo '<div class="row-fluid"><legend>Tags</legend>';
    foreach ($tags as $t) {
        echo '<span class="label">', htmlspecialchars($t['title']), '</span> ';
    }
    echo "</div>\n<div class=\"row-fluid\"><legend>History</legend><ul>\n";
    foreach ($history as $h) {
        $d = DateTime::createFromFormat('U', (string)$h['create_date']);
        echo '<li>', ($h['action'] == 'add' ? 'Created' : 'Edited'), ' by ',
            htmlspecialchars($h['auth_username']), ' @ ', $d->format('H:i:s T, m/d/Y'), "</li>\n";
    }
    echo "</ul></div>\n</div></div>\n";
    page_foot();
}

$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path === '/search') {
    $q = isset($_GET['q']) ? $_GET['q'] : '';
    if ($q === '' || $q === '""') {
        header('Location: /');
        http_response_code(302);
    } else {
        search($q);
    }
} elseif (preg_match('#^/events/([0-9]+)$#', $path, $m)) {
    event((int)$m[1]);
} elseif ($path === '/ping') {
    header('Content-Type: application/json');
    echo json_encode(array('status' => 'ok'));
} else {
    http_response_code(404);
    echo "not found\n";
}
