-- MySQL dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)
-- Written by hand for tests/unit/test_import_morgue.c: Morgue's schema,
-- rows in every table, MySQL's escapes, a deleted postmortem.
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;

DROP TABLE IF EXISTS `postmortems`;
CREATE TABLE `postmortems` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `title` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  `summary` longtext NOT NULL,
  `why_surprised` longtext NOT NULL,
  `tldr` longtext NOT NULL,
  `meeting_notes_link` varchar(255) NOT NULL DEFAULT '',
  `starttime` int(11) unsigned NOT NULL,
  `endtime` int(11) unsigned NOT NULL,
  `statustime` int(11) unsigned NOT NULL,
  `detecttime` int(11) unsigned NOT NULL,
  `severity` int(1) unsigned NOT NULL,
  `gcal` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL,
  `contact` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT '',
  `facilitator` varchar(255) NOT NULL DEFAULT '',
  `facilitator_email` varchar(255) NOT NULL DEFAULT '',
  `subsystem` varchar(50) NOT NULL DEFAULT '',
  `owner_team` varchar(50) NOT NULL DEFAULT '',
  `problem_type` varchar(50) NOT NULL DEFAULT '',
  `impact_type` varchar(50) NOT NULL DEFAULT '',
  `incident_cause` varchar(50) NOT NULL DEFAULT '',
  `deleted` tinyint(1) NOT NULL DEFAULT 0,
  `created` int(11) unsigned NOT NULL,
  `modified` int(11) unsigned NOT NULL DEFAULT 0,
  `modifier` varchar(255) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4;

LOCK TABLES `postmortems` WRITE;
/*!40000 ALTER TABLE `postmortems` DISABLE KEYS */;
INSERT INTO `postmortems` VALUES
(1,'Checkout errors after a cache change','The cache\'s TTL was set to 0;\nevery request went to the database.\r\n\"Quoted\" and a back\\\\slash, 100\% and snow ☃.','Nobody knew the TTL could be 0.','Cache TTL 0 → DB load','https://wiki.example.com/pm/1',1700000000,1700007200,1700001200,1700000600,2,'<event id=\"42\"/>','ann','bob','bob@example.com','checkout, cache','payments','Config','Outage','Config change',0,1700100000,1700200000,'bob'),
(2,'Detected before it started  ','','','','',1700000000,0,0,1699999000,9,NULL,'','','','','','','','',0,1700100000,0,''),
(3,'An old one, deleted','Gone.','','','',1600000000,1600003600,0,0,4,NULL,'','carol','','','','','','',1,1600100000,1600200000,'carol');
/*!40000 ALTER TABLE `postmortems` ENABLE KEYS */;
UNLOCK TABLES;

CREATE TABLE `tags` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `title` varchar(255) NOT NULL,
  `deleted` tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB;
INSERT INTO `tags` VALUES (1,'cache',0),(2,'database',0),(3,'old tag',1);

CREATE TABLE `postmortem_referenced_tags` (
  `postmortem_id` bigint(20) NOT NULL,
  `tag_id` bigint(20) NOT NULL,
  `deleted` tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`postmortem_id`,`tag_id`)
) ENGINE=InnoDB;
INSERT INTO `postmortem_referenced_tags` VALUES (1,1,0),(1,2,0),(1,3,1),(2,2,0),(2,99,0);

CREATE TABLE `postmortem_history` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `postmortem_id` bigint(20) NOT NULL,
  `auth_username` varchar(128) NOT NULL,
  `action` varchar(32) NOT NULL,
  `summary` longtext DEFAULT NULL,
  `why_surprised` longtext DEFAULT NULL,
  `create_date` int(11) unsigned NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB;
INSERT INTO `postmortem_history` (`id`, `postmortem_id`, `auth_username`, `action`, `summary`, `why_surprised`, `create_date`) VALUES (1,1,'bob','add','','',1700100000),(2,1,'ann','edit','First draft.','',1700150000);

CREATE TABLE `images` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `postmortem_id` bigint(20) NOT NULL,
  `image_link` varchar(255) NOT NULL,
  `deleted` tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB;
INSERT INTO `images` VALUES (1,1,'https://img.example.com/graph.png',0),(2,1,'javascript:alert(1)',0);

CREATE TABLE `jira` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `postmortem_id` bigint(20) NOT NULL,
  `ticket` varchar(50) NOT NULL,
  `deleted` tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB;
INSERT INTO `jira` VALUES (1,1,'OPS-101',0),(2,1,'OPS-102',1);

CREATE TABLE `irc` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `postmortem_id` bigint(20) NOT NULL,
  `channel` varchar(50) NOT NULL,
  `deleted` tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB;
INSERT INTO `irc` VALUES (1,1,'#ops',0);

CREATE TABLE `slack` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `postmortem_id` bigint(20) NOT NULL,
  `channel_id` varchar(10) NOT NULL,
  `channel_name` varchar(50) NOT NULL,
  `message` mediumblob DEFAULT NULL,
  `deleted` tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB;
INSERT INTO `slack` VALUES (1,1,'C0123','incident-42',0x68656C6C6F,0);

CREATE TABLE `forum_links` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `postmortem_id` bigint(20) NOT NULL,
  `forum_link` varchar(255) NOT NULL,
  `comment` text DEFAULT NULL,
  `deleted` tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB;
INSERT INTO `forum_links` VALUES (1,1,'https://forum.example.com/t/42','Announcement',0),(2,2,'https://forum.example.com/t/43',NULL,0);

-- Dump completed on 2026-11-22  3:20:18
